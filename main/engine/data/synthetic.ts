/**
 * The built-in synthetic multi-task dataset: microscopy-like scenes
 * (syntheticScene.ts) labelled three ways (classification, segmentation,
 * detection), plus variant label rules and an out-of-domain appearance for
 * label-efficiency studies ("pretrain on two synthetic tasks, evaluate on a
 * held-out third one").
 *
 * Every sample has its own seed derived from (seed, task name, split, index),
 * so a sample never depends on how many others were generated before it.
 */
import { type PixelBox, type TaskData, type TaskKind, type TaskSample } from './taskSample';
import { SeededRandom, deriveSeed } from '../../../shared/seededRandom';
import { CELL_TYPE_NAMES, type CellTypeId, DEFAULT_APPEARANCE, type SceneAppearance, type SyntheticScene, renderScene } from './syntheticScene';
import { type NormalizationSpec, normalizeImage } from './normalize';
import { replicateGreyToRgb } from './channels';
import type { SplitName } from '../../../shared/vocabulary';

export type SyntheticRule =
  /** classification: which cell type is in the majority (2-4 of it, at most 1 other) -> 3 classes */
  | 'dominantType'
  /** classification: how many cells (1-4, any types) -> 4 classes */
  | 'cellCount'
  /** segmentation: background + one class per cell type; detection: one class per cell type */
  | 'cellType'
  /** segmentation: background vs cell; detection: one class "cell" */
  | 'anyCell';

export interface SyntheticTaskSpec {
  name: string;
  kind: TaskKind;
  rule: SyntheticRule;
  /** overrides of the default fluorescence-like look, e.g. { invert: true } for brightfield */
  appearance?: Partial<SceneAppearance>;
}

export type { SplitName };

export interface SyntheticOptions {
  /** image side in pixels, a multiple of 32 (default 64) */
  size?: number;
  /** samples per split (default train 256, val 64, test 64) */
  counts?: Partial<Record<SplitName, number>>;
  seed?: number;
  /** how TaskSample images are normalised (default per-image z-score) */
  normalization?: NormalizationSpec;
}

/** The three default tasks: one per kind. */
export const DEFAULT_SYNTHETIC_TASKS: readonly SyntheticTaskSpec[] = [
  { name: 'synthetic-cell-type-classification', kind: 'classification', rule: 'dominantType' },
  { name: 'synthetic-cell-segmentation', kind: 'segmentation', rule: 'cellType' },
  { name: 'synthetic-cell-detection', kind: 'detection', rule: 'cellType' },
];

/** Extra tasks for held-out evaluation: a new label rule (in-domain) and a new look (out-of-domain). */
export const VARIANT_SYNTHETIC_TASKS: readonly SyntheticTaskSpec[] = [
  { name: 'synthetic-cell-count-classification', kind: 'classification', rule: 'cellCount' },
  { name: 'synthetic-brightfield-foreground-segmentation', kind: 'segmentation', rule: 'anyCell', appearance: { invert: true, noise: 0.06 } },
  { name: 'synthetic-brightfield-cell-type-classification', kind: 'classification', rule: 'dominantType', appearance: { invert: true, noise: 0.06 } },
];

const DEFAULT_COUNTS: Record<SplitName, number> = { train: 256, val: 64, test: 64 };

export function syntheticClassNames(spec: Pick<SyntheticTaskSpec, 'kind' | 'rule'>): string[] {
  const types = [...CELL_TYPE_NAMES];
  switch (`${spec.kind}:${spec.rule}`) {
    case 'classification:dominantType':
      return types;
    case 'classification:cellCount':
      return ['1 cell', '2 cells', '3 cells', '4 cells'];
    case 'segmentation:cellType':
      return ['background', ...types];
    case 'segmentation:anyCell':
      return ['background', 'cell'];
    case 'detection:cellType':
      return types;
    case 'detection:anyCell':
      return ['cell'];
    default:
      throw new Error(`synthetic task: rule '${spec.rule}' does not apply to a ${spec.kind} task`);
  }
}

/** One generated sample before normalisation: the raw scene and its labels. */
export interface SyntheticItem {
  scene: SyntheticScene;
  label?: number;
  mask?: Uint8Array;
  boxes?: PixelBox[];
}

function composition(spec: SyntheticTaskSpec, rng: SeededRandom, wantedLabel?: number): { types: CellTypeId[]; label?: number } {
  const anyType = (): CellTypeId => rng.int(0, 2) as CellTypeId;
  if (spec.kind === 'classification' && spec.rule === 'dominantType') {
    const label = (wantedLabel ?? rng.int(0, 2)) as CellTypeId;
    const types: CellTypeId[] = Array.from({ length: rng.int(2, 4) }, () => label);
    if (rng.chance(0.5)) types.push(((label + rng.int(1, 2)) % 3) as CellTypeId);
    return { types: rng.shuffle(types), label };
  }
  if (spec.kind === 'classification' && spec.rule === 'cellCount') {
    const count = wantedLabel !== undefined ? wantedLabel + 1 : rng.int(1, 4);
    return { types: Array.from({ length: count }, anyType), label: count - 1 };
  }
  return { types: Array.from({ length: rng.int(1, 4) }, anyType) };
}

/**
 * Generates the sample of one task with the given per-sample seed.
 * label: for classification, the class to draw (default: random).
 */
export function generateSyntheticItem(spec: SyntheticTaskSpec, size: number, sampleSeed: number, label?: number): SyntheticItem {
  const classes = syntheticClassNames(spec); // validates kind + rule
  assertSize(size);
  if (label !== undefined && (spec.kind !== 'classification' || !Number.isInteger(label) || label < 0 || label >= classes.length)) {
    throw new Error(`synthetic task ${spec.name}: cannot draw label ${label}`);
  }
  const rng = new SeededRandom(sampleSeed);
  const appearance = { ...DEFAULT_APPEARANCE, ...spec.appearance };
  for (let attempt = 0; attempt < 50; attempt++) {
    const { types, label: drawn } = composition(spec, rng, label);
    const scene = renderScene(types, size, rng, appearance);
    if (!scene) continue; // did not fit: draw another composition from the same stream
    if (spec.kind === 'classification') return { scene, label: drawn as number };
    if (spec.kind === 'segmentation') {
      const mask = spec.rule === 'anyCell' ? scene.mask.map((v) => (v > 0 ? 1 : 0)) : scene.mask.slice();
      return { scene, mask };
    }
    const boxes = scene.cells.map((c) => ({ ...c.box, classId: spec.rule === 'anyCell' ? 0 : c.type }));
    return { scene, boxes };
  }
  throw new Error(`synthetic task ${spec.name}: could not place cells in a ${size}px image`);
}

export function syntheticItemToSample(item: SyntheticItem, normalization: NormalizationSpec, group?: string): TaskSample {
  const sample: TaskSample = {
    size: item.scene.size,
    image: replicateGreyToRgb(normalizeImage(item.scene.grey, 1, normalization)),
  };
  if (item.label !== undefined) sample.label = item.label;
  if (item.mask) sample.mask = item.mask;
  if (item.boxes) sample.boxes = item.boxes;
  if (group !== undefined) sample.group = group;
  return sample;
}

export function syntheticSampleSeed(seed: number, taskName: string, split: SplitName, index: number): number {
  return deriveSeed(seed, taskName, split, index);
}

/**
 * Generates the raw items of one split (used by the folder writer and the task builder).
 * Classification labels cycle through the classes (sample i has class i mod C), so every
 * split is balanced and holds every class once it has C samples.
 */
export function generateSyntheticSplit(spec: SyntheticTaskSpec, split: SplitName, options: SyntheticOptions = {}): SyntheticItem[] {
  const size = options.size ?? 64;
  const count = options.counts?.[split] ?? DEFAULT_COUNTS[split];
  const seed = options.seed ?? 0;
  const numClasses = syntheticClassNames(spec).length;
  return Array.from({ length: count }, (_, i) =>
    generateSyntheticItem(spec, size, syntheticSampleSeed(seed, spec.name, split, i), spec.kind === 'classification' ? i % numClasses : undefined),
  );
}

export function generateSyntheticTask(spec: SyntheticTaskSpec, options: SyntheticOptions = {}): TaskData {
  const normalization = options.normalization ?? { kind: 'zscore' };
  // Groups of 4 consecutive images mimic slides/patients, so group-aware code has something to group.
  const split = (name: SplitName): TaskSample[] =>
    generateSyntheticSplit(spec, name, options).map((item, i) => syntheticItemToSample(item, normalization, `${name}-group-${Math.floor(i / 4)}`));
  return { name: spec.name, kind: spec.kind, classNames: syntheticClassNames(spec), train: split('train'), val: split('val'), test: split('test') };
}

/** The default three tasks (or the given specs), all from one seed. */
export function generateSyntheticTasks(options: SyntheticOptions & { tasks?: readonly SyntheticTaskSpec[] } = {}): TaskData[] {
  return (options.tasks ?? DEFAULT_SYNTHETIC_TASKS).map((spec) => generateSyntheticTask(spec, options));
}

function assertSize(size: number): void {
  if (!Number.isInteger(size) || size < 32 || size % 32 !== 0) {
    throw new Error(`synthetic data: size must be a positive multiple of 32, got ${size}`);
  }
}
