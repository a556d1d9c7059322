import type { DatasetDetail, DatasetStatistics, SplitName } from '../../../shared/api/catalog';
import type { RunTaskConfig, RunTaskKind, SyntheticVariant } from '../../../shared/runConfig';
import { backgroundClassIndex, isBackgroundName } from '../../../shared/classRoles';

/**
 * A task the user defined on the Tasks page: a catalog dataset seen through a
 * label type, a class selection (keep / merge) and the splits to train and
 * validate on. Pretraining runs are built from these.
 */
export interface TaskDraft {
  id: string;
  name: string;
  kind: RunTaskKind;
  datasetId: number;
  /** source class name -> target class name; a class missing here is left out */
  classes: Record<string, string>;
  multiLabel: boolean;
  trainSplit: SplitName;
  valSplit: SplitName;
  /** cap on training images, 0 = all */
  maxTrainImages: number;
  /** segmentation: the target class left out of the scores, null = every class scored; absent = preset from the names */
  background?: string | null;
}

export interface TaskProblem {
  field: 'name' | 'classes' | 'splits' | 'kind' | 'dataset';
  message: string;
}

export const minTrainImages = 8;

/** Label types a dataset kind can provide. */
export function kindsForDataset(kind: DatasetDetail['kind']): RunTaskKind[] {
  return kind === 'unlabelled' ? [] : [kind];
}

/** A fresh draft for a dataset: every class kept under its own name. */
export function draftFromDataset(dataset: DatasetDetail, id: string): TaskDraft {
  return {
    id,
    name: dataset.name,
    kind: kindsForDataset(dataset.kind)[0] ?? 'classification',
    datasetId: dataset.id,
    classes: Object.fromEntries(dataset.classes.map((c) => [c.name, c.name])),
    multiLabel: dataset.multiLabel,
    trainSplit: 'train',
    valSplit: dataset.splitCounts.val > 0 ? 'val' : 'test',
    maxTrainImages: 0,
    // the background marked at import, if any, is the preset
    ...(dataset.kind === 'segmentation' && (dataset.options.backgroundClass === null || typeof dataset.options.backgroundClass === 'string') ? { background: dataset.options.backgroundClass } : {}),
  };
}

/** Target classes after merging, in first-seen order. */
export function targetClasses(draft: TaskDraft): string[] {
  return [...new Set(Object.values(draft.classes).map((t) => t.trim()).filter(Boolean))];
}

/** The segmentation class left out of the scores (the marked one, else one named like background), or null: every class scored. */
export function backgroundOf(draft: TaskDraft): string | null {
  if (draft.kind !== 'segmentation') return null;
  const targets = targetClasses(draft);
  if (draft.background !== undefined) return draft.background !== null && targets.includes(draft.background) ? draft.background : null;
  const index = backgroundClassIndex(targets);
  return index === null ? null : targets[index]!;
}

/**
 * Problems of a draft against its dataset and statistics, each worded for the
 * field it belongs to. Empty when the task can be trained.
 */
export function validateTaskDraft(draft: TaskDraft, dataset: DatasetDetail, stats: DatasetStatistics | null, otherNames: readonly string[]): TaskProblem[] {
  const problems: TaskProblem[] = [];
  const name = draft.name.trim();
  if (!name) problems.push({ field: 'name', message: 'give the task a name' });
  else if (otherNames.includes(name)) problems.push({ field: 'name', message: `another task is already called "${name}"` });
  if (dataset.kind === 'unlabelled') problems.push({ field: 'dataset', message: `${dataset.name} has no labels: a task needs class labels, masks or boxes` });
  else if (draft.kind !== dataset.kind) problems.push({ field: 'kind', message: `${dataset.name} provides ${dataset.kind} labels, not ${draft.kind}` });

  const kept = Object.keys(draft.classes);
  const targets = targetClasses(draft);
  if (dataset.classes.length > 0 && kept.length === 0) problems.push({ field: 'classes', message: 'select at least one class' });
  for (const [source, target] of Object.entries(draft.classes)) if (!target.trim()) problems.push({ field: 'classes', message: `class "${source}" is merged into an empty name` });
  const background = backgroundOf(draft);
  const foreground = targets.filter((t) => t !== background);
  if (draft.kind === 'segmentation' && draft.background && !targets.includes(draft.background)) problems.push({ field: 'classes', message: `the background class "${draft.background}" is not among the kept classes` });
  if (draft.kind === 'classification' && !draft.multiLabel && targets.length === 1 && kept.length > 0) problems.push({ field: 'classes', message: `classification needs at least 2 classes; only "${targets[0]}" is left` });
  if (draft.kind !== 'classification' && kept.length > 0 && foreground.length === 0) problems.push({ field: 'classes', message: 'keep at least one class besides the background' });

  if (!Number.isInteger(draft.maxTrainImages) || draft.maxTrainImages < 0) {
    problems.push({ field: 'splits', message: `Training images must be a whole number, 0 or more (0 = all), not ${Number.isNaN(draft.maxTrainImages) ? 'empty' : draft.maxTrainImages}` });
  }
  if (draft.trainSplit === draft.valSplit) problems.push({ field: 'splits', message: `validation must use another split than training (${draft.trainSplit})` });
  if (stats) {
    const trainCount = stats.splitCounts[draft.trainSplit];
    const valCount = stats.splitCounts[draft.valSplit];
    if (trainCount < minTrainImages) problems.push({ field: 'splits', message: `too few training images: ${trainCount} in "${draft.trainSplit}", at least ${minTrainImages} are needed` });
    if (valCount === 0) problems.push({ field: 'splits', message: `the "${draft.valSplit}" split is empty: choose another validation split` });
    for (const source of kept) {
      const count = stats.classCounts.find((c) => c.name === source);
      if (count && count.images[draft.trainSplit] === 0 && !isBackgroundName(source) && draft.classes[source] !== background) problems.push({ field: 'classes', message: `class "${source}" has no images in "${draft.trainSplit}": leave it out or merge it` });
    }
  }
  return problems;
}

/** The run's view of a draft: the kept classes by name, and renames only where a class changes name. */
export function toRunTaskConfig(draft: TaskDraft, batchSize: number): RunTaskConfig {
  const kept = Object.keys(draft.classes);
  const renamed = Object.entries(draft.classes).filter(([s, t]) => s !== t.trim());
  // segmentation: the background is stated, so the run scores exactly the classes this page showed
  const background = draft.kind === 'segmentation' ? { background: backgroundOf(draft) } : {};
  const classes = kept.length === 0 ? undefined : { include: kept, ...(renamed.length ? { map: Object.fromEntries(renamed.map(([s, t]) => [s, t.trim()])) } : {}), ...background };
  return {
    name: draft.name.trim(),
    kind: draft.kind,
    source: { kind: 'catalog', datasetId: draft.datasetId },
    ...(classes ? { classes } : {}),
    multiLabel: draft.multiLabel && draft.kind === 'classification',
    batchSize,
    trainSplit: draft.trainSplit,
    valSplit: draft.valSplit,
    maxTrainImages: draft.maxTrainImages,
    maxValImages: 0,
  };
}

/** A task of the built-in synthetic microscopy dataset: works with no imported data at all. */
export function syntheticRunTask(variant: SyntheticVariant, kind: RunTaskKind, batchSize: number, counts = { train: 96, val: 24, test: 24 }): RunTaskConfig {
  return {
    name: variant,
    kind,
    source: { kind: 'synthetic', variant, counts, seed: 0 },
    multiLabel: false,
    batchSize,
    trainSplit: 'train',
    valSplit: 'val',
    maxTrainImages: 0,
    maxValImages: 0,
  };
}

/**
 * A note when the images and the pretraining input size are far apart: the
 * engine resizes every image to the input size, so tiny images get blurred
 * up and huge ones lose detail. Null when the most common size is in range.
 */
export function inputSizeNote(sizes: ReadonlyArray<{ width: number; height: number; count: number }>, inputSize: number): string | null {
  const common = sizes[0];
  if (!common) return null;
  const side = Math.max(common.width, common.height);
  if (side * 2 <= inputSize) return `most images are ${common.width}×${common.height}, under half the ${inputSize} px input size: they will be enlarged (consider a smaller input size)`;
  if (side >= inputSize * 8) return `most images are ${common.width}×${common.height}, over 8 times the ${inputSize} px input size: fine detail will be lost when they are shrunk`;
  const aspect = Math.max(common.width, common.height) / Math.max(1, Math.min(common.width, common.height));
  if (aspect > 2) return `most images are ${common.width}×${common.height} (aspect ${aspect.toFixed(1)}:1): squeezing them into a square input distorts shapes`;
  return null;
}
