import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDirectory, isFile, listDir, resolveInsideRoot } from '../fileWalk';
import type { ImportPlan, PlannedItem } from '../importPlan';
import { splitFromName } from './splitFolderNames';
import type { SplitName } from '../../../shared/api/catalog';

interface CocoJson {
  images?: Array<{ id?: unknown; file_name?: unknown; width?: unknown; height?: unknown }>;
  annotations?: Array<{ id?: unknown; image_id?: unknown; category_id?: unknown; bbox?: unknown }>;
  categories?: Array<{ id?: unknown; name?: unknown }>;
}

function readCoco(file: string): CocoJson | null {
  try {
    const json = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (json && typeof json === 'object' && Array.isArray((json as CocoJson).images) && Array.isArray((json as CocoJson).categories)) return json as CocoJson;
  } catch {
    // not JSON: not COCO
  }
  return null;
}

/** COCO annotation files in dir (or dir/annotations), or the file itself. */
export function findCocoFiles(p: string): string[] {
  if (isFile(p)) return p.toLowerCase().endsWith('.json') && readCoco(p) ? [p] : [];
  const dirs = [p, path.join(p, 'annotations')].filter(isDirectory);
  return dirs.flatMap((d) => listDir(d).files.filter((f) => f.toLowerCase().endsWith('.json')).map((f) => path.join(d, f))).filter((f) => readCoco(f) !== null);
}

function splitOfFile(file: string): SplitName | null {
  // instances_train2017.json, val.json, coco_test.json
  for (const part of path.basename(file, '.json').toLowerCase().split(/[_\-.]/)) {
    const split = splitFromName(part.replace(/\d+$/, ''));
    if (split) return split;
  }
  return null;
}

/** Where the image files of an annotation file live: next to it, images/, or a folder named like its split. */
function imageBase(root: string, jsonFile: string, fileName: string): string {
  const stem = path.basename(jsonFile, '.json').replace(/^instances_/, '');
  const candidates = [path.dirname(jsonFile), root, path.join(root, 'images'), path.join(root, stem), path.join(root, 'images', stem)];
  return candidates.find((c) => isFile(path.join(c, fileName))) ?? root;
}

/** COCO JSON: images, categories and bbox annotations [x, y, w, h] in pixels. */
export function planCoco(p: string): Omit<ImportPlan, 'sourcePath' | 'datasetName'> {
  const root = isFile(p) ? path.dirname(p) : p;
  const files = findCocoFiles(p);
  if (files.length === 0) throw new Error(`${p}: no COCO annotation JSON (with "images" and "categories")`);
  const items: PlannedItem[] = [];
  const skipped: ImportPlan['skipped'] = [];
  const classNames: string[] = [];
  let publisherSplit = false;
  for (const file of files) {
    const jsonName = path.relative(root, file).split(path.sep).join('/');
    const coco = readCoco(file)!;
    const split = files.length > 1 ? splitOfFile(file) : null;
    if (split) publisherSplit = true;
    const categoryName = new Map<unknown, string>();
    for (const c of coco.categories ?? []) {
      if (c.id === undefined || typeof c.name !== 'string') {
        skipped.push({ path: jsonName, reason: `category ${JSON.stringify(c)} needs an id and a name` });
        continue;
      }
      categoryName.set(c.id, c.name);
      if (!classNames.includes(c.name)) classNames.push(c.name);
    }
    const byId = new Map<unknown, PlannedItem>();
    for (const image of coco.images ?? []) {
      if (image.id === undefined || typeof image.file_name !== 'string') {
        skipped.push({ path: jsonName, reason: `image entry ${JSON.stringify(image)} needs an id and a file_name` });
        continue;
      }
      const base = imageBase(root, file, image.file_name);
      const resolved = resolveInsideRoot(root, image.file_name, base);
      if ('error' in resolved) {
        skipped.push({ path: `${jsonName} image ${String(image.id)}`, reason: resolved.error });
        continue;
      }
      const item: PlannedItem = { key: resolved.rel, file: resolved.abs, boxes: [], ...(split ? { split } : {}) };
      if (!isFile(resolved.abs)) item.skip = `${jsonName} names a missing image file "${image.file_name}"`;
      byId.set(image.id, item);
      items.push(item);
    }
    for (const a of coco.annotations ?? []) {
      const where = `${jsonName} annotation ${String(a.id ?? '?')}`;
      const item = byId.get(a.image_id);
      if (!item) {
        skipped.push({ path: where, reason: `points at unknown image id ${String(a.image_id)}` });
        continue;
      }
      const className = categoryName.get(a.category_id);
      const bbox = a.bbox;
      if (className === undefined) {
        (item.warnings ??= []).push(`${where}: unknown category id ${String(a.category_id)}, annotation dropped`);
        continue;
      }
      if (!Array.isArray(bbox) || bbox.length !== 4 || !bbox.every((v) => typeof v === 'number' && Number.isFinite(v))) {
        (item.warnings ??= []).push(`${where}: bbox must be [x, y, w, h] numbers, annotation dropped`);
        continue;
      }
      const [x, y, w, h] = bbox as [number, number, number, number];
      item.boxes!.push({ className, x, y, w, h });
    }
  }
  return { root, format: 'coco', kind: 'detection', classes: classNames, multiLabel: false, publisherSplit, items, skipped };
}
