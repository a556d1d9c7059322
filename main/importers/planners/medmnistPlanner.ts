import path from 'node:path';
import { readZipEntries } from '../cappedZip';
import { parseNpy, type NpyArray } from '../npyArray';
import type { ImportPlan, PlannedItem } from '../importPlan';
import { medmnistClassNames, medmnistSubsetOf } from './medmnistClassNames';
import { splitNames } from '../../../shared/vocabulary';

const splits = splitNames;

export function looksLikeMedmnist(file: string): boolean {
  return file.toLowerCase().endsWith('.npz');
}

/** Reads the npz entry by entry under the archive caps (size, ratio, checksum); every array it holds, parsed. */
function readNpz(file: string): Map<string, NpyArray> {
  const name = path.basename(file);
  const entries = readZipEntries(file, (entry) => entry.endsWith('.npy'));
  const arrays = new Map<string, NpyArray>();
  for (const [entry, bytes] of entries) {
    if (entry.endsWith('.npy')) arrays.set(entry.slice(0, -4), parseNpy(bytes, `${name}/${entry}`));
  }
  return arrays;
}

/**
 * MedMNIST .npz: {train,val,test}_images (N,H,W[,3]) uint8 and
 * {train,val,test}_labels (N,1) or multi-hot (N,K). Each sample becomes one
 * PNG in the store; the archive's split is the publisher's.
 */
export function planMedmnist(file: string): Omit<ImportPlan, 'sourcePath' | 'datasetName'> {
  const name = path.basename(file);
  const arrays = readNpz(file);
  const items: PlannedItem[] = [];
  let labelWidth = 1;
  let maxLabel = -1;
  for (const split of splits) {
    const images = arrays.get(`${split}_images`);
    const labels = arrays.get(`${split}_labels`);
    if (!images && !labels) continue;
    if (!images || !labels) throw new Error(`${name}: ${split}_images and ${split}_labels must both be present`);
    if (images.dtype !== 'u1') throw new Error(`${name}: ${split}_images must be uint8, found ${images.dtype}`);
    const [n, h, w, c = 1] = images.shape as [number, number, number, number?];
    if (images.shape.length < 3 || images.shape.length > 4 || (c !== 1 && c !== 3)) {
      throw new Error(`${name}: ${split}_images has shape (${images.shape.join(',')}); expected (N,H,W) or (N,H,W,3) 2D images`);
    }
    if (labels.shape[0] !== n) throw new Error(`${name}: ${split}_labels has ${labels.shape[0]} rows for ${n} images`);
    labelWidth = labels.shape[1] ?? 1;
    const pixelsPerImage = h * w * c;
    const imageData = images.data as Uint8Array;
    for (let i = 0; i < n; i++) {
      const row = Array.from({ length: labelWidth }, (_, k) => labels.data[i * labelWidth + k]!);
      const classIds = labelWidth === 1 ? [row[0]!] : row.flatMap((v, k) => (v ? [k] : []));
      for (const id of classIds) maxLabel = Math.max(maxLabel, id);
      items.push({
        key: `${name}#${split}/${i}`,
        inline: { width: w, height: h, channels: c as 1 | 3, data: imageData.subarray(i * pixelsPerImage, (i + 1) * pixelsPerImage) },
        labels: classIds.map(String),
        split,
      });
    }
  }
  if (items.length === 0) throw new Error(`${name}: no {train,val,test}_images arrays found`);
  const classCount = Math.max(labelWidth > 1 ? labelWidth : 0, maxLabel + 1);
  const known = medmnistClassNames[medmnistSubsetOf(name)];
  const classes = known && known.length === classCount ? known : Array.from({ length: classCount }, (_, i) => String(i));
  // labels were written as ids: name them
  for (const item of items) item.labels = item.labels!.map((id) => classes[Number(id)]!);
  return { root: path.dirname(file), format: 'medmnist', kind: 'classification', classes, multiLabel: labelWidth > 1, publisherSplit: true, items, skipped: [] };
}
