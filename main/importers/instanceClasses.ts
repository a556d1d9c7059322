import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { MaskFrame } from '../imaging/maskValues';
import { stemOf } from './fileWalk';
import type { InstanceBox } from './instanceMasks';

/**
 * The class of each instance of an instance label image, where the publisher
 * ships one: a per-pixel class map image beside each instance image (CoNSeP /
 * Lizard style `type_map`, pixels are class ids, 0 background), or one table
 * for the folder (`instance_classes.csv`: file,instance_id,class).
 */

/** Folders beside the image folder that hold per-pixel class maps of instance images (found without the option). */
export const typeMapFolderNames = ['type_map', 'type_maps', 'typemap', 'typemaps', 'class_map', 'class_maps'];

/** The table of instance classes found at the root without the option. */
export const instanceClassTableName = 'instance_classes.csv';

/**
 * Class names by class value, from the published class map (classes.json in
 * any form readClassMapFile reads). Not classes.txt: beside images/ +
 * labels/ that is YOLO's, with no background line. Values without a name are
 * called "class N".
 */
export function readInstanceClassNames(map: { classes: string[]; valueToClass: Array<{ value: number; classId: number }> } | null): Map<number, string> {
  return new Map((map?.valueToClass ?? []).map((e) => [e.value, map!.classes[e.classId]!]));
}

/** The dataset's classes for instance classes seen: background, then each class value in order. */
export function instanceClassList(values: Iterable<number>, names: Map<number, string>): { classes: string[]; valueToClass: Array<{ value: number; classId: number }> } {
  const sorted = [...new Set([...values, ...names.keys()])].filter((v) => v !== 0).sort((a, b) => a - b);
  return {
    classes: [names.get(0) ?? 'background', ...sorted.map((v) => names.get(v) ?? `class ${v}`)],
    valueToClass: sorted.map((value, i) => ({ value, classId: i + 1 })),
  };
}

/** A table of instance classes: per mask file key, instance id -> class value; or why the whole table cannot serve. */
export interface InstanceClassTable {
  relPath: string;
  /** key (the file column as written, '/' separators) -> id -> class value */
  byFile: Map<string, Map<number, number>>;
  /** key -> the first problem of its rows: that mask is skipped with it */
  rowProblems: Map<string, string>;
  /** the table cannot be read at all: every mask it should serve is skipped with this */
  problem: string | null;
}

/** Reads file,instance_id,class (a header row, in any column order); class is a class id (>= 1) or a name from the class names. */
export function readInstanceClassTable(file: string, relPath: string, names: Map<number, string>): InstanceClassTable {
  const table: InstanceClassTable = { relPath, byFile: new Map(), rowProblems: new Map(), problem: null };
  let rows: string[][];
  try {
    rows = parse(readFileSync(file, 'utf8'), { skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
  } catch (error) {
    table.problem = `${relPath}: not a readable CSV table (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
    return table;
  }
  const header = (rows[0] ?? []).map((h) => h.toLowerCase());
  const [fileCol, idCol, classCol] = ['file', 'instance_id', 'class'].map((h) => header.indexOf(h));
  if (fileCol === -1 || idCol === -1 || classCol === -1) {
    table.problem = `${relPath}: the first row must name the columns file, instance_id and class`;
    return table;
  }
  const valueOfName = new Map([...names].map(([value, name]) => [name, value]));
  rows.slice(1).forEach((row, i) => {
    const key = (row[fileCol!] ?? '').replace(/\\/g, '/');
    if (key === '') return;
    const line = `${relPath} line ${i + 2}`;
    const id = Number(row[idCol!]);
    const classText = row[classCol!] ?? '';
    const value = /^\d+$/.test(classText) ? Number(classText) : valueOfName.get(classText);
    let problem: string | null = null;
    if (!Number.isInteger(id) || id < 1) problem = `${line}: instance_id "${row[idCol!] ?? ''}" is not an instance id (a whole number from 1)`;
    else if (value === undefined) problem = `${line}: class "${classText}" is neither a class id nor a name in the class names`;
    else if (value < 1) problem = `${line}: class 0 is the background, not a class of an instance`;
    if (problem !== null) {
      if (!table.rowProblems.has(key)) table.rowProblems.set(key, problem);
      return;
    }
    let ids = table.byFile.get(key);
    if (!ids) table.byFile.set(key, (ids = new Map()));
    ids.set(id, value!);
  });
  return table;
}

/** The rows of a table for one mask, written with its path relative to the root, its file name or its stem (all merged). */
export function tableRowsFor(table: InstanceClassTable, maskRelPath: string): { entries: Array<[number, number]> } | { problem: string } {
  if (table.problem !== null) return { problem: table.problem };
  const name = maskRelPath.split('/').pop()!;
  const keys = [...new Set([maskRelPath, name, stemOf(name)])];
  const problem = keys.map((key) => table.rowProblems.get(key)).find((p) => p !== undefined);
  if (problem !== undefined) return { problem };
  const entries = new Map<number, number>();
  for (const key of keys) for (const [id, value] of table.byFile.get(key) ?? []) entries.set(id, value);
  return entries.size > 0 ? { entries: [...entries] } : { problem: `${table.relPath} has no rows for ${name}` };
}

/** A class for every instance, from the table's rows: an instance without a row is the file's skip reason. */
export function instanceClassesFromTable(boxes: InstanceBox[], entries: Array<[number, number]>, tableRelPath: string, maskRelPath: string, valueToClass: Map<number, number>): Map<number, number> {
  const classOfId = new Map(entries);
  const result = new Map<number, number>();
  for (const { id } of boxes) {
    const value = classOfId.get(id);
    if (value === undefined) throw new Error(`${tableRelPath} has no class for instance ${id} of ${maskRelPath}`);
    const classId = valueToClass.get(value);
    if (classId === undefined) throw new Error(`${tableRelPath}: class ${value} of instance ${id} of ${maskRelPath} is not a class of this dataset`);
    result.set(id, classId);
  }
  return result;
}

/**
 * A class for every instance from a per-pixel class map: the class most of
 * the instance's pixels have (0 pixels not counted; a tie goes to the lower
 * class value). An instance whose pixels are all 0 in the class map, or a
 * class value the dataset does not have, is the file's skip reason.
 */
export function instanceClassesFromTypeMap(instances: MaskFrame, typeMap: MaskFrame, typeMapRelPath: string, valueToClass: Map<number, number>): Map<number, number> {
  const votes = new Map<number, Map<number, number>>();
  for (let i = 0; i < instances.values.length; i++) {
    const id = instances.values[i]!;
    if (id === 0) continue;
    let perId = votes.get(id);
    if (!perId) votes.set(id, (perId = new Map()));
    const value = typeMap.values[i]!;
    if (value === 0) continue;
    perId.set(value, (perId.get(value) ?? 0) + 1);
  }
  const result = new Map<number, number>();
  for (const [id, perId] of votes) {
    let best: [number, number] | null = null;
    for (const [value, count] of perId) if (best === null || count > best[1] || (count === best[1] && value < best[0])) best = [value, count];
    if (best === null) throw new Error(`${typeMapRelPath}: instance ${id} has no class (its pixels are 0 in the class map)`);
    const classId = valueToClass.get(best[0]);
    if (classId === undefined) throw new Error(`${typeMapRelPath}: class value ${best[0]} (instance ${id}) is not a class of this dataset`);
    result.set(id, classId);
  }
  return result;
}
