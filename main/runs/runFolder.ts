/**
 * The folder of one run, <dataDir>/runs/<runId>/: the run's own record, so a
 * crash of either process loses nothing and the catalog can be rebuilt from it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CheckpointInfo, RunBackendChoice, RunTaskSummary, TaskMetrics } from '../../shared/api/runs';
import { runConfigSchema, type RunConfig } from '../../shared/runConfig';

export interface RunFolder {
  root: string;
  config: string;
  metrics: string;
  log: string;
  /** written by the worker: pid and time of its last sign of life */
  heartbeat: string;
  /** written by the manager: state, error, pid (the catalog mirrors it) */
  status: string;
  /** written by the worker: progress, tasks, backend, checkpoints */
  progress: string;
  checkpoints: string;
  latest: string;
  best: string;
}

/** What the worker writes for readers that were not listening (app restart, CLI). */
export interface RunProgressFile {
  step: number;
  totalSteps: number;
  epoch: number;
  totalEpochs: number;
  backend: string | null;
  /** who chose the backend and why (absent in runs of older versions) */
  backendChoice?: RunBackendChoice | null;
  tasks: RunTaskSummary[];
  checkpoints: { latest: CheckpointInfo | null; best: CheckpointInfo | null };
  lastMetrics: TaskMetrics | null;
  bestScore: number | null;
}

export function runsRoot(dataDir: string): string {
  return path.join(dataDir, 'runs');
}

export function runFolder(dataDir: string, runId: string): RunFolder {
  return runFolderAt(path.join(runsRoot(dataDir), runId));
}

export function runFolderAt(root: string): RunFolder {
  const checkpoints = path.join(root, 'checkpoints');
  return {
    root,
    config: path.join(root, 'config.json'),
    metrics: path.join(root, 'metrics.jsonl'),
    log: path.join(root, 'log.txt'),
    heartbeat: path.join(root, 'heartbeat.json'),
    status: path.join(root, 'status.json'),
    progress: path.join(root, 'progress.json'),
    checkpoints,
    latest: path.join(checkpoints, 'latest'),
    best: path.join(checkpoints, 'best'),
  };
}

export function readJsonFile<T>(file: string): T | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** The run's config.json, checked against the schema: a clear error names the file and the field. */
export function readRunConfig(folder: RunFolder): RunConfig {
  const raw = readJsonFile<unknown>(folder.config);
  if (raw === null) throw new Error(`${folder.config}: missing or not JSON`);
  const parsed = runConfigSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${folder.config}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** A new run id: sortable by time, unique enough for one machine. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const random = Math.floor(Math.random() * 36 ** 4)
    .toString(36)
    .padStart(4, '0');
  return `run-${stamp}-${random}`;
}
