import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { isFile, resolveInsideRoot } from '../fileWalk';
import type { ImportPlan, PlannedItem } from '../importPlan';
import { splitFromName } from './splitFolderNames';
import { naturalSort } from './naturalOrder';

const pathColumns = ['path', 'file', 'filename', 'file_name', 'image', 'image_path'];
const labelColumns = ['label', 'labels', 'class', 'classes', 'target'];
const splitColumns = ['split', 'subset', 'set', 'fold'];
const groupColumns = ['group', 'patient', 'patient_id', 'subject', 'study', 'slide', 'case'];

function findColumn(header: string[], candidates: string[]): number {
  const lower = header.map((h) => h.trim().toLowerCase());
  for (const c of candidates) {
    const at = lower.indexOf(c);
    if (at >= 0) return at;
  }
  return -1;
}

/** Whether a CSV file has a path column and a label column in its header. */
export function looksLikeLabelCsv(file: string): boolean {
  try {
    const firstLine = readFileSync(file, 'utf8').split(/\r?\n/, 1)[0] ?? '';
    const header = (parse(firstLine, { relax_column_count: true }) as string[][])[0] ?? [];
    return findColumn(header, pathColumns) >= 0 && findColumn(header, labelColumns) >= 0;
  } catch {
    return false;
  }
}

/**
 * CSV `path,label[,split][,group]`; a label 'a|b' is multi-label. Paths are
 * relative to the CSV's folder and may not leave it.
 */
export function planCsv(csvFile: string): Omit<ImportPlan, 'sourcePath' | 'datasetName'> {
  const root = path.dirname(csvFile);
  const csvName = path.basename(csvFile);
  let rows: string[][];
  try {
    rows = parse(readFileSync(csvFile, 'utf8'), { relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }) as string[][];
  } catch (error) {
    // csv-parse messages quote the offending value: name the problem and the line, never the file's contents
    const { code, lines } = (error ?? {}) as { code?: string; lines?: number };
    throw new Error(`${csvName}: not a readable CSV (${code ?? 'parse error'}${lines ? ` at line ${lines}` : ''})`);
  }
  const header = rows[0] ?? [];
  const pathAt = findColumn(header, pathColumns);
  const labelAt = findColumn(header, labelColumns);
  if (pathAt < 0 || labelAt < 0) throw new Error(`${csvName}: the header needs a path column (${pathColumns.join('/')}) and a label column (${labelColumns.join('/')}); its first line has ${header.length} column${header.length === 1 ? '' : 's'}, none of them named so`);
  const splitAt = findColumn(header, splitColumns);
  const groupAt = findColumn(header, groupColumns);
  const items: PlannedItem[] = [];
  const skipped: ImportPlan['skipped'] = [];
  const classes = new Set<string>();
  const seen = new Set<string>();
  let multiLabel = false;
  let publisherSplit = false;
  rows.slice(1).forEach((row, i) => {
    const line = i + 2;
    const named = row[pathAt]?.trim() ?? '';
    if (!named) {
      skipped.push({ path: `${csvName}:${line}`, reason: 'row has no path' });
      return;
    }
    const resolved = resolveInsideRoot(root, named);
    if ('error' in resolved) {
      skipped.push({ path: `${csvName}:${line}`, reason: resolved.error });
      return;
    }
    if (seen.has(resolved.rel)) {
      skipped.push({ path: `${csvName}:${line}`, reason: `its file is listed on an earlier line too; the first row wins` });
      return;
    }
    seen.add(resolved.rel);
    const labels = (row[labelAt] ?? '')
      .split('|')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    if (labels.length > 1) multiLabel = true;
    labels.forEach((l) => classes.add(l));
    const splitText = splitAt >= 0 ? (row[splitAt] ?? '') : '';
    const split = splitText ? splitFromName(splitText) : null;
    if (split) publisherSplit = true;
    const missing = !isFile(resolved.abs);
    // a missing file is reported by its CSV line: the path cell is the file's content, never echoed
    const item: PlannedItem = { key: missing ? `${csvName}:${line}` : resolved.rel, file: resolved.abs, labels, group: groupAt >= 0 ? row[groupAt]?.trim() || null : null, ...(split ? { split } : {}) };
    if (splitText && !split) item.warnings = [`${csvName}:${line}: the split column is not train/val/test (or a synonym), a generated split is used`];
    if (missing) item.skip = `${csvName}:${line}: its path column names a missing file`;
    else if (labels.length === 0) item.skip = `${csvName}:${line} has no label`;
    items.push(item);
  });
  return { root, format: 'csv', kind: 'classification', classes: naturalSort(classes), multiLabel, publisherSplit, items, skipped };
}
