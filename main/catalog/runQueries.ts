/**
 * The catalog's index of runs (tables runs and run_metrics, created by the
 * catalog migrations): what the run list reads without opening every folder.
 * The run folder stays the record; these rows mirror it.
 */
import type Database from 'better-sqlite3';
import type { RunState, TaskMetrics } from '../../shared/api/runs';
import type { RunConfig } from '../../shared/runConfig';

export interface RunRow {
  id: string;
  name: string;
  state: RunState;
  config: RunConfig;
  createdAt: string;
  updatedAt: string;
  finalMetrics: TaskMetrics | null;
  folder: string;
}

interface RawRunRow {
  id: string;
  name: string;
  state: string;
  config: string;
  created_at: string;
  updated_at: string;
  final_metrics: string | null;
  folder: string | null;
}

function toRow(raw: RawRunRow): RunRow {
  return {
    id: raw.id,
    name: raw.name,
    state: raw.state as RunState,
    config: JSON.parse(raw.config) as RunConfig,
    createdAt: raw.created_at,
    updatedAt: raw.updated_at,
    finalMetrics: raw.final_metrics ? (JSON.parse(raw.final_metrics) as TaskMetrics) : null,
    folder: raw.folder ?? '',
  };
}

export function insertRun(db: Database.Database, row: Omit<RunRow, 'updatedAt' | 'finalMetrics'>): void {
  db.prepare('INSERT INTO runs (id, name, state, config, created_at, updated_at, final_metrics, folder) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)').run(
    row.id,
    row.name,
    row.state,
    JSON.stringify(row.config),
    row.createdAt,
    row.createdAt,
    row.folder,
  );
}

export function updateRunState(db: Database.Database, id: string, state: RunState, now = new Date().toISOString()): void {
  db.prepare('UPDATE runs SET state = ?, updated_at = ? WHERE id = ?').run(state, now, id);
}

/** Latest validation metrics of every task, and their rows in run_metrics. */
export function recordValidation(db: Database.Database, id: string, step: number, epoch: number, metrics: TaskMetrics, now = new Date().toISOString()): void {
  const insert = db.prepare('INSERT INTO run_metrics (run_id, step, epoch, task, name, value) VALUES (?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    db.prepare('UPDATE runs SET final_metrics = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(metrics), now, id);
    for (const [task, values] of Object.entries(metrics)) {
      for (const [name, value] of Object.entries(values)) if (Number.isFinite(value)) insert.run(id, step, epoch, task, name, value);
    }
  })();
}

export function getRunRow(db: Database.Database, id: string): RunRow | null {
  const raw = db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RawRunRow | undefined;
  return raw ? toRow(raw) : null;
}

export function listRunRows(db: Database.Database): RunRow[] {
  return (db.prepare('SELECT * FROM runs ORDER BY created_at DESC, id DESC').all() as RawRunRow[]).map(toRow);
}
