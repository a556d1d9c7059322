/**
 * The run bundle: a self-contained folder a cluster job trains from.
 *   config.json        the run config (defaults filled in)
 *   bundle.json        resolved model config, the tfjs weight order, tasks, sizes
 *   init/              the starting checkpoint in the app's format (fresh weights of the
 *                      run's seed, or an app run's latest checkpoint to continue it)
 *   data/index.json    per task and split: count, labels, boxes, shard files
 *   data/tNN-<split>-images-NNNNN.npy   float32 [n, S, S, 3] HWC, resized + normalised
 *   data/tNN-<split>-masks-NNNNN.npy    uint8 [n, S, S] (segmentation)
 *   trainer/umedpt_trainer/*.py         the PyTorch trainer
 *   README.md, MANIFEST.sha256 (sha256sum -c format)
 * Written into a temporary sibling folder and renamed into place at the end.
 */
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { TaskData, TaskSample } from '../engine/data/taskSample';
import type { UmedptModel } from '../engine/model/umedptModel';
import { checkpointKeys, checkpointParts, writeCheckpointFiles, type NamedArray } from '../engine/train/checkpointFiles';
import type { RunConfig } from '../../shared/runConfig';
import { npyHeader } from './npyFile';
import { bundleReadme } from './bundleReadme';
import { bundleFormat, type BundleManifest } from './bundleManifest';

export { bundleFormat, type BundleManifest } from './bundleManifest';
import { trainerRoot, trainerSourceFiles } from './trainerFiles';

/** shards are cut at about this many bytes of images */
export const shardBytes = 256 * 1024 * 1024;

export interface BundleProgress {
  phase: 'data' | 'weights' | 'trainer' | 'manifest';
  done: number;
  total: number;
  message: string;
}


export interface WriteBundleOptions {
  dir: string;
  config: RunConfig;
  tasks: TaskData[];
  model: UmedptModel;
  appVersion: string;
  /** an app run's checkpoint folder to continue from (its optimizer and sampler state too) */
  continueFrom?: { runId: string; checkpointDir: string };
  onProgress?: (p: BundleProgress) => void;
}

export interface WriteBundleResult {
  dir: string;
  files: number;
  bytes: number;
  images: number;
  seconds: number;
}

class HashedFiles {
  readonly sums = new Map<string, string>();
  bytes = 0;

  constructor(readonly root: string) {}

  write(rel: string, chunks: Iterable<Uint8Array>): void {
    const file = path.join(this.root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    const hash = createHash('sha256');
    const fd = openSync(file, 'w');
    try {
      for (const chunk of chunks) {
        writeSync(fd, chunk);
        hash.update(chunk);
        this.bytes += chunk.byteLength;
      }
    } finally {
      closeSync(fd);
    }
    this.sums.set(rel, hash.digest('hex'));
  }

  text(rel: string, text: string): void {
    this.write(rel, [Buffer.from(text, 'utf8')]);
  }

  copy(from: string, rel: string): void {
    this.write(rel, [readFileSync(from)]);
  }
}

function bytesOf(a: Float32Array | Uint8Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * The run's starting weights (seeded as the app seeds them) in the checkpoint
 * format, weights only: a fresh run has no optimizer state to carry.
 */
export function writeInitialWeights(dir: string, model: UmedptModel, config: RunConfig, tasks: TaskData[]): void {
  const arrays: NamedArray[] = checkpointParts(model, tasks.map((t) => t.name)).flatMap((part) =>
    part.layers.weights.map((w, i) => ({ key: checkpointKeys.weight(part.key, i), shape: w.shape as number[], values: w.read().dataSync() as Float32Array })),
  );
  writeCheckpointFiles(dir, { savedAt: new Date().toISOString(), modelConfig: model.config, tasks: tasks.map((t) => t.name), seed: config.seed, trainer: { step: 0, bestScore: null, bestStep: null }, weightsOnly: true }, arrays);
}

/** weight names of every part in checkpoint order (the tfjs model's weight order) */
export function weightOrderOf(model: UmedptModel): Record<string, string[]> {
  return Object.fromEntries(checkpointParts(model).map((part) => [part.key, part.layers.weights.map((w) => w.originalName)]));
}

function splitEntry(files: HashedFiles, taskIndex: number, split: string, kind: TaskData['kind'], samples: TaskSample[], size: number, onShard: () => void): Record<string, unknown> {
  const perShard = Math.max(1, Math.floor(shardBytes / (size * size * 3 * 4)));
  const shards: Array<{ images: string; masks?: string; count: number }> = [];
  for (let start = 0; start < samples.length; start += perShard) {
    const chunk = samples.slice(start, start + perShard);
    const tag = `t${String(taskIndex).padStart(2, '0')}-${split}`;
    const n = String(shards.length).padStart(5, '0');
    const images = `${tag}-images-${n}.npy`;
    chunk.forEach((s, i) => {
      if (s.size !== size || s.image.length !== size * size * 3) throw new Error(`task ${taskIndex} ${split} sample ${start + i}: expected a ${size}x${size}x3 image`);
    });
    files.write(`data/${images}`, [npyHeader('<f4', [chunk.length, size, size, 3]), ...chunk.map((s) => bytesOf(s.image))]);
    const shard: { images: string; masks?: string; count: number } = { images, count: chunk.length };
    if (kind === 'segmentation') {
      shard.masks = `${tag}-masks-${n}.npy`;
      files.write(`data/${shard.masks}`, [npyHeader('|u1', [chunk.length, size, size]), ...chunk.map((s) => bytesOf(s.mask ?? new Uint8Array(size * size)))]);
    }
    shards.push(shard);
    onShard();
  }
  const entry: Record<string, unknown> = { count: samples.length, shards };
  if (kind === 'classification') entry.labels = samples.map((s) => s.label ?? null);
  if (kind === 'detection') entry.boxes = samples.map((s) => (s.boxes ?? []).map((b) => ({ x: b.x, y: b.y, w: b.w, h: b.h, classId: b.classId })));
  return entry;
}

export function writeRunBundle(options: WriteBundleOptions): WriteBundleResult {
  const started = Date.now();
  const { dir, config, tasks, model } = options;
  const target = path.resolve(dir);
  if (existsSync(target) && readdirSync(target).length > 0) throw new Error(`${target} exists and is not empty: choose a new folder for the bundle`);
  const tmp = `${target}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const progress = options.onProgress ?? (() => {});
  try {
    const files = new HashedFiles(tmp);
    const size = model.config.inputSize;
    const splits = ['train', 'val', 'test'] as const;
    const perShard = Math.max(1, Math.floor(shardBytes / (size * size * 3 * 4)));
    const totalShards = tasks.reduce((n, t) => n + splits.reduce((m, s) => m + Math.ceil(t[s].length / perShard), 0), 0);
    let shardsDone = 0;
    const images = tasks.reduce((n, t) => n + t.train.length + t.val.length + t.test.length, 0);
    const index = {
      format: 'umedpt-shards',
      version: 1,
      inputSize: size,
      layout: 'images: float32 [n, S, S, 3] HWC, letterboxed (aspect kept, centred, padding 0); masks: uint8 [n, S, S], 255 outside the image (ignored); boxes: pixels of the letterboxed image, x y w h classId',
      tasks: tasks.map((t, ti) => ({
        name: t.name,
        kind: t.kind,
        classNames: t.classNames,
        // segmentation: which class the means leave out (shared/classRoles), so the trainer scores as the app does
        backgroundClass: t.backgroundClass ?? null,
        multiLabel: t.multiLabel ?? false,
        splits: Object.fromEntries(
          splits.map((s) => [
            s,
            splitEntry(files, ti, s, t.kind, t[s], size, () => {
              shardsDone += 1;
              progress({ phase: 'data', done: shardsDone, total: totalShards, message: `task ${t.name}, ${s}: ${t[s].length} images` });
            }),
          ]),
        ),
      })),
    };
    files.text('data/index.json', JSON.stringify(index));

    progress({ phase: 'weights', done: 0, total: 1, message: options.continueFrom ? `checkpoint of run ${options.continueFrom.runId}` : 'initial weights of the run seed' });
    const initDir = path.join(tmp, 'init');
    if (options.continueFrom) {
      mkdirSync(initDir, { recursive: true });
      for (const f of ['checkpoint.json', 'tensors.bin']) copyFileSync(path.join(options.continueFrom.checkpointDir, f), path.join(initDir, f));
    } else {
      writeInitialWeights(initDir, model, config, tasks);
    }
    for (const f of ['checkpoint.json', 'tensors.bin']) files.copy(path.join(initDir, f), `init/${f}`);
    progress({ phase: 'weights', done: 1, total: 1, message: 'init/ written' });

    const sources = trainerSourceFiles();
    sources.forEach((rel, i) => {
      files.copy(path.join(trainerRoot(), rel), `trainer/${rel}`);
      progress({ phase: 'trainer', done: i + 1, total: sources.length, message: rel });
    });

    const manifest: BundleManifest = {
      format: bundleFormat,
      version: 1,
      createdAt: new Date().toISOString(),
      appVersion: options.appVersion,
      runName: config.name,
      modelConfig: model.config,
      weightOrder: weightOrderOf(model),
      tasks: tasks.map((t) => ({ name: t.name, kind: t.kind, classNames: t.classNames, counts: { train: t.train.length, val: t.val.length, test: t.test.length } })),
      normalization: `images letterboxed into ${size}x${size} (aspect kept, padding 0 after normalising), each normalised to zero mean and unit variance over its pixels; grey images replicated to 3 channels (HWC float32), as the app's preprocessing cache makes them`,
      continuesRun: options.continueFrom?.runId ?? null,
      images,
      dataBytes: files.bytes,
    };
    files.text('config.json', JSON.stringify(config, null, 2));
    files.text('bundle.json', JSON.stringify(manifest, null, 2));
    files.text('README.md', bundleReadme(manifest));
    progress({ phase: 'manifest', done: 1, total: 1, message: 'MANIFEST.sha256' });
    const lines = [...files.sums.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([rel, sum]) => `${sum}  ${rel}`);
    writeFileSync(path.join(tmp, 'MANIFEST.sha256'), `${lines.join('\n')}\n`);
    if (existsSync(target)) rmSync(target, { recursive: true });
    renameSync(tmp, target);
    return { dir: target, files: files.sums.size + 1, bytes: files.bytes, images, seconds: (Date.now() - started) / 1000 };
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
}

/** Checks every file of a bundle against MANIFEST.sha256; returns the problems. */
export function verifyBundle(dir: string): string[] {
  const manifestFile = path.join(dir, 'MANIFEST.sha256');
  if (!existsSync(manifestFile)) return [`${manifestFile}: missing (not a bundle?)`];
  const problems: string[] = [];
  for (const line of readFileSync(manifestFile, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const [sum, rel] = [line.slice(0, 64), line.slice(66)];
    const file = path.join(dir, rel);
    if (!existsSync(file)) problems.push(`${rel}: missing`);
    else if (createHash('sha256').update(readFileSync(file)).digest('hex') !== sum) problems.push(`${rel}: checksum differs (changed or truncated)`);
  }
  return problems;
}
