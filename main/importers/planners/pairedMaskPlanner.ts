import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDirectory, isFile, isImageFileName, listDir, listFilesRecursive, stemOf } from '../fileWalk';
import type { ImportPlan, PlannedItem } from '../importPlan';

const imageDirNames = ['images', 'image', 'imgs', 'img'];
const maskDirNames = ['masks', 'mask', 'labels', 'label', 'annotations', 'gt', 'groundtruth'];
const classMapFiles = ['classes.json', 'class_map.json', 'labels.json', 'classmap.json'];

export function findMaskPair(dir: string): { images: string; masks: string } | null {
  const dirs = listDir(dir).dirs;
  const images = dirs.find((d) => imageDirNames.includes(d.toLowerCase()));
  const masks = dirs.find((d) => maskDirNames.includes(d.toLowerCase()));
  if (!images || !masks) return null;
  const imageFiles = listFilesRecursive(path.join(dir, images)).filter(isImageFileName);
  const maskStems = new Set(listFilesRecursive(path.join(dir, masks)).filter(isImageFileName).map(stemOf));
  // some file stems must pair up, or these are unrelated folders
  return imageFiles.some((f) => maskStems.has(stemOf(f))) ? { images, masks } : null;
}

/**
 * A class map published next to the data: {"0": "background", "255": "membrane"}
 * (value -> name), {"background": 0} (name -> value) or ["background", ...]
 * (index = value).
 */
export function readClassMapFile(dir: string): { classes: string[]; valueToClass: Array<{ value: number; classId: number }> } | null {
  const file = classMapFiles.map((f) => path.join(dir, f)).find(isFile);
  if (!file) return null;
  const name = path.basename(file);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${name}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const pairs: Array<{ value: number; name: string }> = [];
  if (Array.isArray(json)) json.forEach((n, i) => pairs.push({ value: i, name: String(n) }));
  else if (json && typeof json === 'object') {
    for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
      if (/^\d+$/.test(k)) pairs.push({ value: Number(k), name: String(v) });
      else if (typeof v === 'number' && Number.isInteger(v)) pairs.push({ value: v, name: k });
      else throw new Error(`${name}: entry "${k}" is neither "value": "name" nor "name": value`);
    }
  } else throw new Error(`${name}: expected an object or an array of class names`);
  pairs.sort((a, b) => a.value - b.value);
  return { classes: pairs.map((p) => p.name), valueToClass: pairs.map((p, classId) => ({ value: p.value, classId })) };
}

/** Paired image / mask folders with the same file stems. */
export function planPairedMasks(root: string): Omit<ImportPlan, 'sourcePath' | 'datasetName'> {
  const pair = findMaskPair(root);
  if (!pair) throw new Error(`${root}: no images/ + masks/ (or image/ + label/) folders with matching file names`);
  const maskByStem = new Map<string, string>();
  const skipped: ImportPlan['skipped'] = [];
  for (const rel of listFilesRecursive(path.join(root, pair.masks))) {
    if (isImageFileName(rel)) maskByStem.set(stemOf(rel), rel);
    else skipped.push({ path: `${pair.masks}/${rel}`, reason: 'not an image file' });
  }
  const items: PlannedItem[] = [];
  const used = new Set<string>();
  for (const rel of listFilesRecursive(path.join(root, pair.images))) {
    const key = `${pair.images}/${rel}`;
    if (!isImageFileName(rel)) {
      skipped.push({ path: key, reason: 'not an image file' });
      continue;
    }
    const maskRel = maskByStem.get(stemOf(rel));
    const item: PlannedItem = { key, file: path.join(root, key) };
    if (maskRel) {
      used.add(maskRel);
      item.mask = { file: path.join(root, pair.masks, maskRel), relPath: `${pair.masks}/${maskRel}` };
    } else item.skip = `no mask with the stem "${stemOf(rel)}" in ${pair.masks}/`;
    items.push(item);
  }
  for (const [, rel] of maskByStem) if (!used.has(rel)) skipped.push({ path: `${pair.masks}/${rel}`, reason: 'mask without an image' });
  const classMap = readClassMapFile(root);
  return {
    root,
    format: 'paired-masks',
    kind: 'segmentation',
    classes: classMap?.classes ?? [],
    multiLabel: false,
    ...(classMap ? { maskValueToClass: classMap.valueToClass } : {}),
    publisherSplit: false,
    items,
    skipped,
  };
}

export function isPairedMaskDir(dir: string): boolean {
  return isDirectory(dir) && findMaskPair(dir) !== null;
}
