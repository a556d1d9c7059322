/**
 * The folder of one study, <dataDir>/evals/<id>/: config.json, status.json
 * (state, progress, error, pid; written by the worker while it runs and by
 * the manager around it), rows.jsonl (one results row per line, appended as
 * each finishes, so a crash keeps what was done), log.txt and the outputs.
 */
import { appendFileSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { readJsonFile } from '../runs/runFolder';
import { writeJsonAtomic } from '../files/atomicFile';
import type { EvalConfig, EvalResultRow, EvalSummary } from '../../shared/api/eval';

export interface StudyFolder {
  root: string;
  config: string;
  status: string;
  rows: string;
  log: string;
}

/** status.json: the summary plus the worker's pid */
export type StudyStatusFile = Omit<EvalSummary, 'folder'> & { pid: number | null };

export function evalsRoot(dataDir: string): string {
  return path.join(dataDir, 'evals');
}

export function studyFolderAt(root: string): StudyFolder {
  return {
    root,
    config: path.join(root, 'config.json'),
    status: path.join(root, 'status.json'),
    rows: path.join(root, 'rows.jsonl'),
    log: path.join(root, 'log.txt'),
  };
}

export function studyFolder(dataDir: string, id: string): StudyFolder {
  if (!/^[A-Za-z0-9._-]+$/.test(id) || id.startsWith('.')) throw new Error(`"${id}" is not a study id`);
  return studyFolderAt(path.join(evalsRoot(dataDir), id));
}

export function newStudyId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `eval-${stamp}-${Math.floor(Math.random() * 36 ** 4).toString(36).padStart(4, '0')}`;
}

export function listStudyIds(dataDir: string): string[] {
  const root = evalsRoot(dataDir);
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(root, d.name, 'status.json')))
    .map((d) => d.name)
    .sort();
}

export function readStudyStatus(folder: StudyFolder): StudyStatusFile | null {
  return readJsonFile<StudyStatusFile>(folder.status);
}

export function writeStudyStatus(folder: StudyFolder, status: StudyStatusFile): void {
  writeJsonAtomic(folder.status, status);
}

export function readStudyConfig(folder: StudyFolder): EvalConfig {
  const config = readJsonFile<EvalConfig>(folder.config);
  if (!config) throw new Error(`${folder.config}: missing or not JSON`);
  return config;
}

export function appendEvalRow(folder: StudyFolder, row: EvalResultRow): void {
  appendFileSync(folder.rows, JSON.stringify(row) + '\n');
}

/** The rows written so far; a half-written last line (crash mid-append) is skipped. */
export function readStudyRows(folder: StudyFolder): EvalResultRow[] {
  if (!existsSync(folder.rows)) return [];
  const rows: EvalResultRow[] = [];
  for (const line of readFileSync(folder.rows, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      rows.push(JSON.parse(line) as EvalResultRow);
    } catch {
      // only the last line can be torn; everything before it was complete
    }
  }
  return rows;
}
