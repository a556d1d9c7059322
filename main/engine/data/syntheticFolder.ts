/**
 * Writes the synthetic dataset as ordinary files in the layouts the catalog
 * importers read, so the demo and the UI tests go through the real import
 * path:
 *   <dir>/<classification task>/{train,val,test}/<class name>/<split>-NNNN.png   ImageFolder
 *   <dir>/<segmentation task>/images/<split>-NNNN.png + masks/<split>-NNNN.png   paired masks
 *       (8-bit PNG, pixel value = class id) + classes.json (index = value)
 *   <dir>/<detection task>/images/<split>-NNNN.png + annotations/instances_<split>.json   COCO
 * Images are grey PNGs, 8-bit by default or 16-bit to exercise the deep-image path.
 * Import each task folder on its own; the top folder also holds README.txt
 * and synthetic-dataset.json (what was written, with which seed).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encode } from 'fast-png';
import { type TaskKind } from './taskSample';
import { splitNames } from '../../../shared/vocabulary';
import {
  DEFAULT_SYNTHETIC_TASKS,
  type SplitName,
  type SyntheticItem,
  type SyntheticOptions,
  type SyntheticTaskSpec,
  generateSyntheticSplit,
  syntheticClassNames,
} from './synthetic';

export interface SyntheticFolderOptions extends Omit<SyntheticOptions, 'normalization'> {
  tasks?: readonly SyntheticTaskSpec[];
  /** PNG sample depth of the images (masks are always 8-bit) */
  bitDepth?: 8 | 16;
}

export type SyntheticFolderFormat = 'image-folder' | 'paired-masks' | 'coco';

export interface WrittenSyntheticTask {
  name: string;
  kind: TaskKind;
  format: SyntheticFolderFormat;
  /** the folder to import */
  dir: string;
  classNames: string[];
  counts: Record<SplitName, number>;
}

export interface WrittenSyntheticDataset {
  root: string;
  tasks: WrittenSyntheticTask[];
}

const SPLITS: readonly SplitName[] = splitNames;

function greyPng(item: SyntheticItem, bitDepth: 8 | 16): Uint8Array {
  const { size, grey } = item.scene;
  const max = bitDepth === 16 ? 65535 : 255;
  const data = bitDepth === 16 ? new Uint16Array(size * size) : new Uint8Array(size * size);
  for (let i = 0; i < data.length; i++) data[i] = Math.round((grey[i] as number) * max);
  return encode({ width: size, height: size, data, channels: 1, depth: bitDepth });
}

function fileStem(split: SplitName, index: number): string {
  return `${split}-${String(index).padStart(4, '0')}`;
}

async function writeClassification(dir: string, spec: SyntheticTaskSpec, splits: Record<SplitName, SyntheticItem[]>, classNames: string[], bitDepth: 8 | 16): Promise<void> {
  for (const split of SPLITS) {
    for (const [i, item] of splits[split].entries()) {
      const className = classNames[item.label as number];
      if (className === undefined) throw new Error(`synthetic task ${spec.name}: label ${item.label} has no class name`);
      // only folders that get images: an empty class folder would not read as ImageFolder
      await mkdir(path.join(dir, split, className), { recursive: true });
      await writeFile(path.join(dir, split, className, `${fileStem(split, i)}.png`), greyPng(item, bitDepth));
    }
  }
}

async function writeSegmentation(dir: string, splits: Record<SplitName, SyntheticItem[]>, classNames: string[], bitDepth: 8 | 16): Promise<void> {
  await mkdir(path.join(dir, 'images'), { recursive: true });
  await mkdir(path.join(dir, 'masks'), { recursive: true });
  await writeFile(path.join(dir, 'classes.json'), JSON.stringify(classNames, null, 2) + '\n');
  for (const split of SPLITS) {
    for (const [i, item] of splits[split].entries()) {
      const stem = fileStem(split, i);
      const size = item.scene.size;
      await writeFile(path.join(dir, 'images', `${stem}.png`), greyPng(item, bitDepth));
      await writeFile(path.join(dir, 'masks', `${stem}.png`), encode({ width: size, height: size, data: item.mask as Uint8Array, channels: 1, depth: 8 }));
    }
  }
}

async function writeDetection(dir: string, splits: Record<SplitName, SyntheticItem[]>, classNames: string[], bitDepth: 8 | 16): Promise<void> {
  await mkdir(path.join(dir, 'images'), { recursive: true });
  await mkdir(path.join(dir, 'annotations'), { recursive: true });
  // COCO category ids start at 1 by convention; our class id k is category k + 1
  const categories = classNames.map((name, k) => ({ id: k + 1, name, supercategory: 'cell' }));
  let imageId = 1;
  let annotationId = 1;
  for (const split of SPLITS) {
    const images: Array<{ id: number; file_name: string; width: number; height: number }> = [];
    const annotations: Array<{ id: number; image_id: number; category_id: number; bbox: number[]; area: number; iscrowd: 0 }> = [];
    for (const [i, item] of splits[split].entries()) {
      const fileName = `${fileStem(split, i)}.png`;
      await writeFile(path.join(dir, 'images', fileName), greyPng(item, bitDepth));
      const size = item.scene.size;
      images.push({ id: imageId, file_name: fileName, width: size, height: size });
      for (const b of item.boxes ?? []) annotations.push({ id: annotationId++, image_id: imageId, category_id: b.classId + 1, bbox: [b.x, b.y, b.w, b.h], area: b.w * b.h, iscrowd: 0 });
      imageId++;
    }
    const coco = { info: { description: 'UMedPT Studio synthetic cells', version: '1' }, images, annotations, categories };
    await writeFile(path.join(dir, 'annotations', `instances_${split}.json`), JSON.stringify(coco) + '\n');
  }
}

type FolderWriter = (dir: string, spec: SyntheticTaskSpec, splits: Record<SplitName, SyntheticItem[]>, classNames: string[], bitDepth: 8 | 16) => Promise<void>;

/** the folder format each task kind is written in: one an importer of that kind reads */
const folderWriters: Record<TaskKind, { format: SyntheticFolderFormat; write: FolderWriter }> = {
  classification: { format: 'image-folder', write: writeClassification },
  segmentation: { format: 'paired-masks', write: (dir, _spec, splits, classNames, bitDepth) => writeSegmentation(dir, splits, classNames, bitDepth) },
  detection: { format: 'coco', write: (dir, _spec, splits, classNames, bitDepth) => writeDetection(dir, splits, classNames, bitDepth) },
};

export async function writeSyntheticDatasetToFolder(dir: string, options: SyntheticFolderOptions = {}): Promise<WrittenSyntheticDataset> {
  const specs = options.tasks ?? DEFAULT_SYNTHETIC_TASKS;
  const bitDepth = options.bitDepth ?? 8;
  const root = path.resolve(dir);
  await mkdir(root, { recursive: true });
  const tasks: WrittenSyntheticTask[] = [];
  for (const spec of specs) {
    const classNames = syntheticClassNames(spec);
    const splits = { train: [], val: [], test: [] } as Record<SplitName, SyntheticItem[]>;
    for (const split of SPLITS) splits[split] = generateSyntheticSplit(spec, split, options);
    const taskDir = path.join(root, spec.name);
    const { format, write } = folderWriters[spec.kind];
    await write(taskDir, spec, splits, classNames, bitDepth);
    const counts = { train: splits.train.length, val: splits.val.length, test: splits.test.length };
    tasks.push({ name: spec.name, kind: spec.kind, format, dir: taskDir, classNames, counts });
  }
  const manifest = { generator: 'umedpt-synthetic-cells', seed: options.seed ?? 0, size: options.size ?? 64, bitDepth, tasks: tasks.map((t) => ({ ...t, dir: path.basename(t.dir) })) };
  await writeFile(path.join(root, 'synthetic-dataset.json'), JSON.stringify(manifest, null, 2) + '\n');
  await writeFile(
    path.join(root, 'README.txt'),
    [
      'Synthetic microscopy-like cells generated by UMedPT Studio (no real patient data; free to use).',
      'Cell types: round (bright disc), elongated (striped ellipse), spiky (dim star with a bright nucleus).',
      'Import each task folder on its own:',
      ...tasks.map((t) => `  ${path.basename(t.dir)}/  ${t.kind}, ${t.format}, classes: ${t.classNames.join(', ')}`),
      '',
    ].join('\n'),
  );
  return { root, tasks };
}
