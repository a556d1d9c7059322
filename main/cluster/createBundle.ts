/**
 * `umedpt bundle`: a run config (file or object) -> its tasks' data loaded as
 * the app's training loads them -> a run bundle (runBundle.ts). Optionally an
 * app run's latest checkpoint travels along so the cluster continues it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { initEngine } from '../engine/backend/initEngine';
import { parseRunConfig, formatRunConfigProblems, type RunConfig } from '../../shared/runConfig';
import { buildRunModel } from '../runs/runModel';
import { loadRunTasks } from '../runs/taskDataLoader';
import { runFolderAt } from '../runs/runFolder';
import { writeRunBundle, type BundleProgress, type WriteBundleResult } from './runBundle';

export function readRunConfigFile(file: string): RunConfig {
  if (!existsSync(file)) throw new Error(`${file}: no such file`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message})`);
  }
  const parsed = parseRunConfig(raw);
  if (!parsed.ok) throw new Error(`${file}: ${formatRunConfigProblems(parsed.problems)}`);
  return parsed.config;
}

export interface CreateBundleOptions {
  config: RunConfig;
  dir: string;
  dataDir: string;
  appVersion: string;
  /** an app run folder whose latest checkpoint the bundle continues */
  continueRun?: string;
  onProgress?: (p: BundleProgress) => void;
  log?: (message: string) => void;
}

export async function createBundle(options: CreateBundleOptions): Promise<WriteBundleResult> {
  const { config } = options;
  let continueFrom: { runId: string; checkpointDir: string } | undefined;
  if (options.continueRun) {
    const folder = runFolderAt(options.continueRun);
    if (!existsSync(path.join(folder.latest, 'checkpoint.json'))) throw new Error(`run ${path.basename(folder.root)} has no latest checkpoint to continue from`);
    continueFrom = { runId: path.basename(folder.root), checkpointDir: folder.latest };
  }
  // cpu is enough: the app only builds the model here to write its initial weights
  await initEngine({ forced: 'cpu' });
  const tasks = await loadRunTasks(config, options.dataDir, options.log);
  const model = buildRunModel(config, tasks);
  try {
    return writeRunBundle({ dir: options.dir, config, tasks, model, appVersion: options.appVersion, continueFrom, onProgress: options.onProgress });
  } finally {
    model.dispose();
  }
}
