/**
 * A run's trained model rebuilt from its folder: config + the task list the
 * worker recorded + a checkpoint's weights. Used by export and predictions,
 * which must not depend on the training process being alive.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine, type EngineInit } from '../engine/backend/initEngine';
import { createUmedptModel, type UmedptModel } from '../engine/model/umedptModel';
import { readCheckpointFiles } from '../engine/train/checkpointFiles';
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

/** Weights of a MultiTaskTrainer checkpoint (keys model/<component>/<i>, head/<task>/<i>) into a model. */
export function assignCheckpointWeights(model: UmedptModel, dir: string): { step: number; savedAt: string } {
  const { meta, arrays } = readCheckpointFiles(dir);
  const parts = [
    ...model.sharedComponents().map((c) => ({ key: `model/${c.name}`, layers: c.model })),
    ...[...model.heads.entries()].map(([name, head]) => ({ key: `head/${name}`, layers: head.model })),
  ];
  for (const part of parts) {
    const values = part.layers.weights.map((w, i) => {
      const a = arrays.get(`${part.key}/${i}`);
      if (!a) throw new Error(`${dir}: checkpoint lacks tensor '${part.key}/${i}'`);
      if (a.values.length !== (w.shape as number[]).reduce((n, d) => n * d, 1)) throw new Error(`${dir}: tensor '${part.key}/${i}' does not fit ${w.originalName}`);
      return tf.tensor(a.values, w.shape as number[]);
    });
    part.layers.setWeights(values);
    tf.dispose(values);
  }
  const trainer = meta.trainer as { step?: number } | undefined;
  return { step: trainer?.step ?? 0, savedAt: String(meta.savedAt ?? '') };
}

/** The checkpoint to read: `best` falls back to `latest` when a run never validated. */
export function checkpointDir(folder: RunFolder, which: 'latest' | 'best'): { dir: string; which: 'latest' | 'best' } {
  const has = (dir: string) => existsSync(path.join(dir, 'checkpoint.json'));
  if (which === 'best' && has(folder.best)) return { dir: folder.best, which: 'best' };
  if (has(folder.latest)) return { dir: folder.latest, which: 'latest' };
  if (has(folder.best)) return { dir: folder.best, which: 'best' };
  throw new Error(`run ${path.basename(folder.root)} has no checkpoint yet (it saves one at each epoch end, on pause and on cancel)`);
}

export async function loadRunModel(runRoot: string, which: 'latest' | 'best', backend?: 'cpu' | 'wasm'): Promise<LoadedRunModel> {
  const folder = runFolderAt(runRoot);
  const config = readRunConfig(folder);
  const progress = readJsonFile<RunProgressFile>(folder.progress);
  if (!progress || !progress.tasks.length) throw new Error(`${folder.progress}: missing; the run never got as far as loading its data`);
  const engine = await initEngine({ forced: backend ?? (config.backend === 'auto' ? undefined : config.backend) });
  const { dir, which: used } = checkpointDir(folder, which);
  const model = createUmedptModel({
    encoder: config.model.encoder,
    inputSize: config.model.inputSize,
    squeezerWidth: config.model.squeezerWidth,
    tasks: progress.tasks.map((t) => {
      const task = config.tasks.find((c) => c.name === t.name);
      return { name: t.name, kind: t.kind, numClasses: t.classNames.length, multiLabel: task?.multiLabel ?? false };
    }),
    seed: config.seed,
  });
  try {
    const checkpointMeta = assignCheckpointWeights(model, dir);
    return { folder, config, progress, model, checkpoint: used, checkpointMeta, engine };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
