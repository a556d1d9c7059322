/**
 * The checkpoint format, in one module: checkpoint.json (metadata + an index
 * of named float32 tensors) and tensors.bin (their values, concatenated); the
 * key layout of the tensors; writing, reading and checking them against a
 * model. The trainer, a run's model (runs/runModel) and a study's encoders read
 * and write through this. Written by the
 * atomic writer (temporary folder, fsync, swap), so a crash never leaves a
 * half-written `latest`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { readableFolder, writeFolderAtomic } from '../../files/atomicFile';
import type { UmedptModel } from '../model/umedptModel';
import { CheckpointDamaged, nonFiniteValue, verifyCheckpoint, writeCheckpointManifest } from './checkpointIntegrity';

export const checkpointFormat = 'umedpt-checkpoint';

export interface NamedArray {
  key: string;
  shape: number[];
  values: Float32Array;
}

interface TensorIndexEntry {
  key: string;
  shape: number[];
  offset: number;
  length: number;
}

export function writeCheckpointFiles(dir: string, meta: Record<string, unknown>, arrays: NamedArray[]): void {
  // weights that became NaN/Inf are never saved over a good checkpoint
  const nonFinite = nonFiniteValue(arrays);
  if (nonFinite) throw new Error(`weights are no longer finite (${nonFinite}): checkpoint not written`);
  let offset = 0;
  const index: TensorIndexEntry[] = arrays.map((a) => {
    const entry = { key: a.key, shape: a.shape, offset, length: a.values.length };
    offset += a.values.length;
    return entry;
  });
  const data = new Float32Array(offset);
  arrays.forEach((a, i) => data.set(a.values, index[i]!.offset));
  writeFolderAtomic(dir, (tmp) => {
    writeFileSync(path.join(tmp, 'tensors.bin'), Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    writeFileSync(path.join(tmp, 'checkpoint.json'), JSON.stringify({ format: checkpointFormat, version: 1, ...meta, tensors: index }, null, 1));
    writeCheckpointManifest(tmp);
  });
}

export function readCheckpointFiles(requested: string): { meta: Record<string, unknown>; arrays: Map<string, NamedArray> } {
  const dir = readableFolder(requested, 'checkpoint.json');
  const jsonPath = path.join(dir, 'checkpoint.json');
  const binPath = path.join(dir, 'tensors.bin');
  if (!existsSync(jsonPath) || !existsSync(binPath)) throw new Error(`${dir}: not a checkpoint (needs checkpoint.json and tensors.bin)`);
  verifyCheckpoint(dir);
  let meta: Record<string, unknown> & { tensors?: TensorIndexEntry[] };
  try {
    meta = JSON.parse(readFileSync(jsonPath, 'utf8')) as typeof meta;
  } catch {
    throw new CheckpointDamaged(dir, 'checkpoint.json is not readable JSON');
  }
  if (meta.format !== checkpointFormat) throw new Error(`${jsonPath}: format is '${String(meta.format)}', expected '${checkpointFormat}'`);
  const bytes = readFileSync(binPath);
  if (bytes.byteLength % 4 !== 0) throw new CheckpointDamaged(dir, `tensors.bin has ${bytes.byteLength} bytes, not a whole number of float32 values (truncated)`);
  const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const arrays = new Map<string, NamedArray>();
  for (const entry of meta.tensors ?? []) {
    if (entry.offset + entry.length > data.length) throw new CheckpointDamaged(dir, `tensor '${entry.key}' runs past the end of tensors.bin (truncated)`);
    arrays.set(entry.key, { key: entry.key, shape: entry.shape, values: data.slice(entry.offset, entry.offset + entry.length) });
  }
  const nonFinite = nonFiniteValue(arrays.values());
  if (nonFinite) throw new CheckpointDamaged(dir, nonFinite);
  return { meta, arrays };
}

/**
 * The key layout of a checkpoint, in one place: the weights of a shared
 * component under `model/<component>/<i>`, of a task's head under
 * `head/<task>/<i>`, AdamW moments under `adamw/shared/{m,v}/<i>` and
 * `adamw/head/<task>/{m,v}/<i>`.
 */
export const checkpointKeys = {
  shared: (component: string): string => `model/${component}`,
  head: (task: string): string => `head/${task}`,
  weight: (part: string, index: number): string => `${part}/${index}`,
  sharedOptimizer: 'adamw/shared',
  headOptimizer: (task: string): string => `adamw/head/${task}`,
  moment: (optimizer: string, which: 'm' | 'v', index: number): string => `${optimizer}/${which}/${index}`,
};

/** One group of weights (a shared component or a head) and its key prefix. */
export interface CheckpointPart {
  key: string;
  layers: tfl.LayersModel;
}

/** The parts of a model a checkpoint holds, in its order: every shared component, then the heads of `tasks`. */
export function checkpointParts(model: UmedptModel, tasks: readonly string[] = [...model.heads.keys()]): CheckpointPart[] {
  return [
    ...model.sharedComponents().map((c) => ({ key: checkpointKeys.shared(c.name), layers: c.model })),
    ...tasks.map((task) => {
      const head = model.heads.get(task);
      if (!head) throw new Error(`the model has no head for task '${task}'`);
      return { key: checkpointKeys.head(task), layers: head.model };
    }),
  ];
}

/** Checks a tensor of a read checkpoint: present, with the size the model expects. */
export function checkpointValues(arrays: Map<string, NamedArray>, dir: string, key: string, size: number, what = 'expected'): Float32Array {
  const a = arrays.get(key);
  if (!a) throw new Error(`${dir}: checkpoint lacks tensor '${key}'`);
  if (a.values.length !== size) throw new Error(`${dir}: tensor '${key}' has ${a.values.length} values, ${what} ${size}`);
  return a.values;
}

/**
 * Reads a checkpoint and sets the weights of `parts` from it (all of a run's
 * model, or only the encoder and squeezer a study takes). Returns the
 * checkpoint's step and save time.
 */
export function assignCheckpointWeights(dir: string, parts: readonly CheckpointPart[]): { step: number; savedAt: string } {
  const { meta, arrays } = readCheckpointFiles(dir);
  for (const part of parts) {
    const values = part.layers.weights.map((w, i) => {
      const size = (w.shape as number[]).reduce((n, d) => n * d, 1);
      return tf.tensor(checkpointValues(arrays, dir, checkpointKeys.weight(part.key, i), size, `${w.originalName} needs`), w.shape as number[]);
    });
    part.layers.setWeights(values);
    tf.dispose(values);
  }
  const trainer = meta.trainer as { step?: number } | undefined;
  return { step: trainer?.step ?? 0, savedAt: String(meta.savedAt ?? '') };
}
