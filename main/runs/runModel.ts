/**
 * A run's trained model rebuilt from its folder: config + the task list the
 * worker recorded + a checkpoint's weights. Used by export and predictions,
 * which must not depend on the training process being alive.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { initEngine, type EngineInit } from '../engine/backend/initEngine';
import { backendRequestFor } from '../../shared/backendChoice';
import { createUmedptModel, type UmedptModel } from '../engine/model/umedptModel';
import type { TaskKind } from '../engine/data/taskSample';
import { assignCheckpointWeights, checkpointParts } from '../engine/train/checkpointFiles';
import { checkpointProblem } from '../engine/train/checkpointIntegrity';
import type { RunConfig } from '../../shared/runConfig';
import { readJsonFile, readRunConfig, runFolderAt, type RunFolder, type RunProgressFile } from './runFolder';

export interface LoadedRunModel {
  folder: RunFolder;
  config: RunConfig;
  progress: RunProgressFile;
  model: UmedptModel;
  checkpoint: 'latest' | 'best';
  checkpointMeta: { step: number; savedAt: string };
  engine: EngineInit;
}

/** The checkpoint to read: `best` falls back to `latest` when a run never validated. */
export function checkpointDir(folder: RunFolder, which: 'latest' | 'best'): { dir: string; which: 'latest' | 'best' } {
  // a checkpoint whose manifest fails is passed over for the other one; with none good, the damage is named
  const damaged: string[] = [];
  const has = (dir: string) => {
    if (!existsSync(path.join(dir, 'checkpoint.json'))) return false;
    const problem = checkpointProblem(dir);
    if (problem) damaged.push(`${dir}: damaged checkpoint: ${problem}`);
    return problem === null;
  };
  if (which === 'best' && has(folder.best)) return { dir: folder.best, which: 'best' };
  if (has(folder.latest)) return { dir: folder.latest, which: 'latest' };
  if (has(folder.best)) return { dir: folder.best, which: 'best' };
  if (damaged.length > 0) throw new Error(`run ${path.basename(folder.root)} has no good checkpoint: ${damaged.join('; ')}`);
  throw new Error(`run ${path.basename(folder.root)} has no checkpoint yet (it saves one at each epoch end, on pause and on cancel)`);
}

/** The model of a run: its config's architecture and seed, one head per task with the task's classes. */
export function buildRunModel(config: RunConfig, tasks: ReadonlyArray<{ name: string; kind: TaskKind; classNames: string[]; multiLabel?: boolean }>): UmedptModel {
  return createUmedptModel({
    encoder: config.model.encoder,
    inputSize: config.model.inputSize,
    squeezerWidth: config.model.squeezerWidth,
    tasks: tasks.map((t) => ({ name: t.name, kind: t.kind, numClasses: t.classNames.length, multiLabel: t.multiLabel ?? false })),
    seed: config.seed,
  });
}

export async function loadRunModel(runRoot: string, which: 'latest' | 'best', backend?: 'cpu' | 'wasm'): Promise<LoadedRunModel> {
  const folder = runFolderAt(runRoot);
  const config = readRunConfig(folder);
  const progress = readJsonFile<RunProgressFile>(folder.progress);
  if (!progress || !progress.tasks.length) throw new Error(`${folder.progress}: missing; the run never got as far as loading its data`);
  const engine = await initEngine({ request: backendRequestFor(backend ?? config.backend, process.env) });
  const { dir, which: used } = checkpointDir(folder, which);
  // the classes each task had when it trained, as the worker recorded them
  const model = buildRunModel(
    config,
    progress.tasks.map((t) => ({ ...t, multiLabel: config.tasks.find((c) => c.name === t.name)?.multiLabel ?? false })),
  );
  try {
    const checkpointMeta = assignCheckpointWeights(dir, checkpointParts(model));
    return { folder, config, progress, model, checkpoint: used, checkpointMeta, engine };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
