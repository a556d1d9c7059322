import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { isDirectory, isFile, isImageFileName, listDir, listFilesRecursive, stemOf } from '../fileWalk';
import type { ImportPlan, PlannedBox, PlannedItem } from '../importPlan';
import { splitFromName } from './splitFolderNames';
import { linePosition } from '../contentFreeMessages';

function classNamesFile(root: string): string[] | null {
  const txt = path.join(root, 'classes.txt');
  if (isFile(txt))
    return readFileSync(txt, 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '');
  for (const yamlName of ['data.yaml', 'data.yml', 'dataset.yaml']) {
    const file = path.join(root, yamlName);
    if (!isFile(file)) continue;
    let doc: { names?: unknown } | null;
    try {
      doc = parseYaml(readFileSync(file, 'utf8')) as { names?: unknown } | null;
    } catch (error) {
      // yaml's messages quote the lines around the problem: its position says enough
      throw new Error(`${yamlName}: not valid YAML${linePosition(error)}`);
    }
    const names = doc?.names;
    if (Array.isArray(names)) return names.map(String);
    if (names && typeof names === 'object')
      return Object.entries(names as Record<string, unknown>)
        .sort(([a], [b]) => Number(a) - Number(b))
        .map(([, v]) => String(v));
    throw new Error(`${yamlName}: no "names" list`);
  }
  return null;
}

/** Where the images/ + labels/ pairs are: the root itself, or split folders (train/images, valid/labels...: Roboflow's export). */
function yoloParts(dir: string): Array<{ prefix: string; split: ReturnType<typeof splitFromName> }> {
  const hasPair = (d: string) => isDirectory(path.join(d, 'images')) && isDirectory(path.join(d, 'labels'));
  if (hasPair(dir)) return [{ prefix: '', split: null }];
  return listDir(dir)
    .dirs.filter((d) => splitFromName(d) !== null && hasPair(path.join(dir, d)))
    .map((d) => ({ prefix: `${d}/`, split: splitFromName(d) }));
}

export function looksLikeYolo(dir: string): boolean {
  return yoloParts(dir).length > 0 && (isFile(path.join(dir, 'classes.txt')) || ['data.yaml', 'data.yml', 'dataset.yaml'].some((f) => isFile(path.join(dir, f))));
}

/** Boxes of one YOLO label file: "class cx cy w h" per line, normalised to [0, 1]. */
export function parseYoloLabels(text: string, fileName: string, classes: string[]): PlannedBox[] {
  const boxes: PlannedBox[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const parts = line.trim().split(/\s+/);
    if (parts.length === 1 && parts[0] === '') return;
    const where = `${fileName}:${i + 1}`;
    if (parts.length < 5) throw new Error(`${where}: expected "class cx cy w h", found ${parts.length} field${parts.length === 1 ? '' : 's'}`);
    const [cls, cx, cy, w, h] = parts.slice(0, 5).map(Number) as [number, number, number, number, number];
    if (!Number.isInteger(cls) || cls < 0 || cls >= classes.length) throw new Error(Number.isInteger(cls) ? `${where}: class ${cls} is not one of the ${classes.length} classes` : `${where}: the class is not an integer from 0 to ${classes.length - 1}`);
    if (![cx, cy, w, h].every(Number.isFinite)) throw new Error(`${where}: coordinates must be numbers`);
    boxes.push({ className: classes[cls]!, x: cx, y: cy, w, h, normalizedCentre: true });
  });
  return boxes;
}

/** YOLO: images/[split/]*, labels/[split/]*.txt (or split/images, split/labels), classes from classes.txt or data.yaml. */
export function planYolo(root: string): Omit<ImportPlan, 'sourcePath' | 'datasetName'> {
  const classes = classNamesFile(root);
  if (!classes) throw new Error(`${root}: YOLO needs classes.txt or data.yaml with the class names`);
  const items: PlannedItem[] = [];
  const skipped: ImportPlan['skipped'] = [];
  let publisherSplit = false;
  for (const part of yoloParts(root)) {
    const imagesDir = `${part.prefix}images`;
    const labelsDir = `${part.prefix}labels`;
    const labelFiles = new Set(listFilesRecursive(path.join(root, labelsDir)));
    const usedLabels = new Set<string>();
    for (const rel of listFilesRecursive(path.join(root, imagesDir))) {
      const key = `${imagesDir}/${rel}`;
      if (!isImageFileName(rel)) {
        skipped.push({ path: key, reason: 'not an image file' });
        continue;
      }
      const dirPart = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
      const split = part.split ?? (dirPart ? splitFromName(dirPart.split('/')[0]!) : null);
      if (split) publisherSplit = true;
      const labelRel = `${dirPart ? `${dirPart}/` : ''}${stemOf(rel)}.txt`;
      const item: PlannedItem = { key, file: path.join(root, key), boxes: [], ...(split ? { split } : {}) };
      if (labelFiles.has(labelRel)) {
        usedLabels.add(labelRel);
        try {
          item.boxes = parseYoloLabels(readFileSync(path.join(root, labelsDir, labelRel), 'utf8'), `${labelsDir}/${labelRel}`, classes);
        } catch (error) {
          item.skip = error instanceof Error ? error.message : String(error);
        }
      }
      // no label file: YOLO's convention for an image without objects
      items.push(item);
    }
    for (const rel of labelFiles) if (!usedLabels.has(rel)) skipped.push({ path: `${labelsDir}/${rel}`, reason: 'label file without an image' });
  }
  return { root, format: 'yolo', kind: 'detection', classes, multiLabel: false, publisherSplit, items, skipped };
}
