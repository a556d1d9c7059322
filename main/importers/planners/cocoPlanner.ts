import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { isDirectory, isFile, listDir, resolveInsideRoot } from '../fileWalk';
import type { ImportPlan, PlannedItem } from '../importPlan';
import { splitFromName } from './splitFolderNames';
import type { SplitName } from '../../../shared/api/catalog';
import { idForMessage } from '../contentFreeMessages';
import { CocoFileError, maxStringChars, streamCocoFile, tooLong, type CocoElement, type CocoScalar } from './cocoStream';

/** Files up to this size are checked whole at detection; larger ones by their first key (the planner reads them streaming). */
const wholeCheckBytes = 8 << 20;
const headBytes = 64 << 10;
const cocoFirstKeys = /^\uFEFF?\s*\{\s*"(info|licenses|images|annotations|categories|type)"\s*:/;

function isCocoObject(json: unknown): boolean {
  return !!json && typeof json === 'object' && Array.isArray((json as { images?: unknown }).images) && Array.isArray((json as { categories?: unknown }).categories);
}

/** Whether a .json file is a COCO annotation file: parsed whole when small, by its opening key when large. */
function looksLikeCoco(file: string): boolean {
  try {
    if (statSync(file).size <= wholeCheckBytes) return isCocoObject(JSON.parse(readFileSync(file, 'utf8')));
    const fd = openSync(file, 'r');
    try {
      const head = Buffer.alloc(headBytes);
      const read = readSync(fd, head, 0, headBytes, 0);
      return cocoFirstKeys.test(head.subarray(0, read).toString('utf8'));
    } finally {
      closeSync(fd);
    }
  } catch {
    // not JSON, unreadable: not COCO
    return false;
  }
}

/** COCO annotation files in dir (or dir/annotations), or the file itself. */
export function findCocoFiles(p: string): string[] {
  if (isFile(p)) return p.toLowerCase().endsWith('.json') && looksLikeCoco(p) ? [p] : [];
  const dirs = [p, path.join(p, 'annotations')].filter(isDirectory);
  return dirs.flatMap((d) => listDir(d).files.filter((f) => f.toLowerCase().endsWith('.json')).map((f) => path.join(d, f))).filter(looksLikeCoco);
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

/**
 * Annotations kept as numbers (id, image id, category id, x, y, w, h; NaN where absent or not a number)
 * until the images and categories are known: the three arrays may come in any order.
 */
class AnnotationTable {
  static readonly width = 7;
  private data = new Float64Array(AnnotationTable.width * 4096);
  length = 0;

  push(values: number[]): void {
    if ((this.length + 1) * AnnotationTable.width > this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data.set(values, this.length * AnnotationTable.width);
    this.length++;
  }

  row(i: number): Float64Array {
    return this.data.subarray(i * AnnotationTable.width, (i + 1) * AnnotationTable.width);
  }
}

const numberOr = (value: CocoScalar | undefined): number => (typeof value === 'number' && Number.isFinite(value) ? value : NaN);

/** One annotation file's items, boxes and class names, read streaming. */
async function planCocoFile(root: string, file: string, split: SplitName | null, classNames: string[], skipped: ImportPlan['skipped']): Promise<PlannedItem[]> {
  const jsonName = path.relative(root, file).split(path.sep).join('/');
  const items: PlannedItem[] = [];
  const byId = new Map<number, PlannedItem>();
  const categoryName = new Map<number, string>();
  const annotations = new AnnotationTable();
  const counts = { images: 0, annotations: 0, categories: 0 };

  const onImage = ({ fields }: CocoElement): void => {
    const index = counts.images++;
    const id = fields?.get('id');
    const fileName = fields?.get('file_name');
    const where = `${jsonName} image ${idForMessage(id, index)}`;
    if (typeof id !== 'number' || !Number.isFinite(id) || typeof fileName !== 'string') {
      skipped.push({ path: where, reason: fileName === tooLong ? `file_name is longer than ${maxStringChars} characters` : 'needs a numeric id and a file_name' });
      return;
    }
    const resolved = resolveInsideRoot(root, fileName, imageBase(root, file, fileName));
    if ('error' in resolved) {
      skipped.push({ path: where, reason: resolved.error });
      return;
    }
    const item: PlannedItem = { key: resolved.rel, file: resolved.abs, boxes: [], ...(split ? { split } : {}) };
    if (!isFile(resolved.abs)) item.skip = `${where}: its file_name names a missing image file`;
    byId.set(id, item);
    items.push(item);
  };
  const onCategory = ({ fields }: CocoElement): void => {
    const index = counts.categories++;
    const id = fields?.get('id');
    const name = fields?.get('name');
    if (typeof id !== 'number' || !Number.isFinite(id) || typeof name !== 'string') {
      skipped.push({ path: `${jsonName} category ${index + 1}`, reason: name === tooLong ? `name is longer than ${maxStringChars} characters` : 'needs a numeric id and a name' });
      return;
    }
    categoryName.set(id, name);
    if (!classNames.includes(name)) classNames.push(name);
  };
  const onAnnotation = ({ fields, bbox }: CocoElement): void => {
    const index = counts.annotations++;
    const id = fields?.get('id');
    const imageId = numberOr(fields?.get('image_id'));
    if (Number.isNaN(imageId)) {
      skipped.push({ path: `${jsonName} annotation ${idForMessage(id, index)}`, reason: 'image_id is not a number' });
      return;
    }
    const [x, y, w, h] = bbox ?? [NaN, NaN, NaN, NaN];
    annotations.push([typeof id === 'number' ? id : NaN, imageId, numberOr(fields?.get('category_id')), x!, y!, w!, h!]);
  };

  let sections: Set<string>;
  try {
    sections = await streamCocoFile(file, (section, element) => (section === 'images' ? onImage : section === 'categories' ? onCategory : onAnnotation)(element));
  } catch (error) {
    throw new Error(`${jsonName}: ${error instanceof CocoFileError ? error.message : 'unreadable'}`);
  }
  if (!sections.has('images') || !sections.has('categories')) throw new Error(`${jsonName}: not a COCO annotation file (it needs "images" and "categories" arrays)`);

  for (let i = 0; i < annotations.length; i++) {
    const [id, imageId, categoryId, x, y, w, h] = annotations.row(i) as unknown as [number, number, number, number, number, number, number];
    const where = `${jsonName} annotation ${Number.isNaN(id) ? `#${i + 1}` : id}`;
    const item = byId.get(imageId);
    if (!item) {
      skipped.push({ path: where, reason: `points at unknown image id ${imageId}` });
      continue;
    }
    // an image already skipped (its file missing) would never use its boxes
    if (item.skip !== undefined) continue;
    const className = categoryName.get(categoryId);
    if (className === undefined) {
      (item.warnings ??= []).push(`${where}: ${Number.isNaN(categoryId) ? 'category_id is not a number' : `unknown category id ${categoryId}`}, annotation dropped`);
      continue;
    }
    if (Number.isNaN(x)) {
      (item.warnings ??= []).push(`${where}: bbox must be [x, y, w, h] numbers, annotation dropped`);
      continue;
    }
    item.boxes!.push({ className, x, y, w, h });
  }
  return items;
}

/** COCO JSON: images, categories and bbox annotations [x, y, w, h] in pixels; each file streamed, never held whole. */
export async function planCoco(p: string): Promise<Omit<ImportPlan, 'sourcePath' | 'datasetName'>> {
  const root = isFile(p) ? path.dirname(p) : p;
  const files = findCocoFiles(p);
  if (files.length === 0) throw new Error(`${p}: no COCO annotation JSON (with "images" and "categories")`);
  const items: PlannedItem[] = [];
  const skipped: ImportPlan['skipped'] = [];
  const classNames: string[] = [];
  let publisherSplit = false;
  for (const file of files) {
    const split = files.length > 1 ? splitOfFile(file) : null;
    if (split) publisherSplit = true;
    items.push(...(await planCocoFile(root, file, split, classNames, skipped)));
  }
  return { root, format: 'coco', kind: 'detection', classes: classNames, multiLabel: false, publisherSplit, items, skipped };
}
