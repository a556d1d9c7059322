import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { isDirectory, isFile, isImageFileName, listDir, stemOf } from '../fileWalk';
import type { ImportPlan, PlannedBox, PlannedItem } from '../importPlan';
import type { SplitName } from '../../../shared/api/catalog';
import { naturalSort } from './naturalOrder';

export function looksLikeVoc(dir: string): boolean {
  return isDirectory(path.join(dir, 'Annotations')) && isDirectory(path.join(dir, 'JPEGImages'));
}

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, isArray: (name) => name === 'object' });

function field(obj: unknown, key: string): unknown {
  return obj && typeof obj === 'object' ? (obj as Record<string, unknown>)[key] : undefined;
}

function numberField(obj: unknown, key: string, where: string): number {
  const raw = field(obj, key);
  const value = typeof raw === 'string' ? Number(raw.trim()) : NaN;
  if (raw === undefined || raw === '') throw new Error(`${where}: missing <${key}>`);
  if (!Number.isFinite(value)) throw new Error(`${where}: <${key}> is not a number`);
  return value;
}

/** Boxes of one VOC annotation; throws naming the file and the missing field. */
export function parseVocAnnotation(xml: string, fileName: string): { filename: string | null; boxes: PlannedBox[] } {
  // the validator's own messages quote tag names and text: its code and position say enough
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`${fileName}: malformed XML (${valid.err.code} at line ${valid.err.line} column ${valid.err.col})`);
  const doc: unknown = parser.parse(xml);
  const annotation = field(doc, 'annotation');
  if (!annotation) throw new Error(`${fileName}: no <annotation> element`);
  const objects = (field(annotation, 'object') as unknown[] | undefined) ?? [];
  const boxes = objects.map((object, i) => {
    const where = `${fileName} object ${i + 1}`;
    const name = field(object, 'name');
    if (typeof name !== 'string' || name.trim() === '') throw new Error(`${where}: missing <name>`);
    const bndbox = field(object, 'bndbox');
    if (!bndbox) throw new Error(`${where}: missing <bndbox>`);
    const xmin = numberField(bndbox, 'xmin', where);
    const ymin = numberField(bndbox, 'ymin', where);
    const xmax = numberField(bndbox, 'xmax', where);
    const ymax = numberField(bndbox, 'ymax', where);
    // an empty box (xmax <= xmin) is kept here and dropped with a warning at import, like other unusable boxes
    return { className: name.trim(), x: xmin, y: ymin, w: xmax - xmin, h: ymax - ymin };
  });
  const filename = field(annotation, 'filename');
  return { filename: typeof filename === 'string' ? filename : null, boxes };
}

/** Image id -> its split and where it is listed ("ImageSets/Main/train.txt line 3"), for messages that quote no id. */
function readSplitLists(root: string): Map<string, { split: SplitName; listedAt: string }> {
  const dir = path.join(root, 'ImageSets', 'Main');
  const bySplit = new Map<string, { split: SplitName; listedAt: string }>();
  if (!isDirectory(dir)) return bySplit;
  const read = (file: string, split: SplitName) => {
    const p = path.join(dir, file);
    if (!isFile(p)) return;
    readFileSync(p, 'utf8')
      .split(/\r?\n/)
      .forEach((line, i) => {
        const id = line.trim().split(/\s+/)[0];
        if (id && !bySplit.has(id)) bySplit.set(id, { split, listedAt: `ImageSets/Main/${file} line ${i + 1}` });
      });
  };
  read('train.txt', 'train');
  read('val.txt', 'val');
  read('test.txt', 'test');
  // only trainval given: treat as train, validation is carved out later
  read('trainval.txt', 'train');
  return bySplit;
}

/** Pascal VOC: JPEGImages/, Annotations/*.xml, ImageSets/Main/{train,val,test,trainval}.txt. */
export function planVoc(root: string): Omit<ImportPlan, 'sourcePath' | 'datasetName'> {
  const annotationsDir = path.join(root, 'Annotations');
  const imagesDir = path.join(root, 'JPEGImages');
  const splits = readSplitLists(root);
  const skipped: ImportPlan['skipped'] = [];
  const xmlByStem = new Map<string, string>();
  for (const f of listDir(annotationsDir).files) {
    if (f.toLowerCase().endsWith('.xml')) xmlByStem.set(stemOf(f), f);
    else skipped.push({ path: `Annotations/${f}`, reason: 'not an XML annotation' });
  }
  const items: PlannedItem[] = [];
  const classes = new Set<string>();
  const seenStems = new Set<string>();
  for (const f of listDir(imagesDir).files) {
    const key = `JPEGImages/${f}`;
    if (!isImageFileName(f)) {
      skipped.push({ path: key, reason: 'not an image file' });
      continue;
    }
    const stem = stemOf(f);
    seenStems.add(stem);
    const split = splits.get(stem)?.split;
    const item: PlannedItem = { key, file: path.join(imagesDir, f), ...(split ? { split } : {}) };
    const xml = xmlByStem.get(stem);
    if (!xml) item.skip = `no annotation file Annotations/${stem}.xml`;
    else {
      try {
        const parsed = parseVocAnnotation(readFileSync(path.join(annotationsDir, xml), 'utf8'), `Annotations/${xml}`);
        item.boxes = parsed.boxes;
        parsed.boxes.forEach((b) => classes.add(b.className));
      } catch (error) {
        item.skip = error instanceof Error ? error.message : String(error);
      }
    }
    items.push(item);
  }
  for (const [stem, xml] of xmlByStem) if (!seenStems.has(stem)) skipped.push({ path: `Annotations/${xml}`, reason: `no image JPEGImages/${stem}.*` });
  for (const [stem, { listedAt }] of splits) if (!seenStems.has(stem)) skipped.push({ path: listedAt, reason: 'lists an image id with no such image in JPEGImages/' });
  return { root, format: 'voc', kind: 'detection', classes: naturalSort(classes), multiLabel: false, publisherSplit: splits.size > 0, items, skipped };
}
