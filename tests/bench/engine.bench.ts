/**
 * npm run bench -- engine: training throughput of the default small encoder
 * (main/engine/model 'small-cnn' + squeezer + a 4-class classification head)
 * at 64x64 and 128x128, batch 16, on wasm and cpu in the same run, and the
 * single-threaded wasm matmul rate as the ceiling.
 *
 * FLOPs are counted analytically from the layers' shapes: 2·MACs of every
 * Conv2D / DepthwiseConv2D / Dense layer; a training step is forward +
 * filter gradient + input gradient = 3x forward, less one forward of the
 * stem (no gradient flows into the image). Norms, activations, pooling and
 * the optimizer are not counted (they are memory-bound and small in FLOPs),
 * so GFLOP/s is a lower bound on the arithmetic the backend did.
 */
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { defaultWasmThreads, initEngine } from '../../main/engine/backend/initEngine';
import { createUmedptModel, type UmedptModel } from '../../main/engine/model/umedptModel';
import { taskLoss } from '../../main/engine/train/taskLoss';
import type { TaskBatch } from '../../main/engine/train/taskBatch';
import type { BenchSectionResult } from './index';

const batchSize = 16;
const sizes = [64, 128];
const wasmTimedSteps = 3;
/**
 * The cpu backend's kernels are scalar loops whose cost per image does not
 * depend on the batch, and a batch-16 step at 128x128 takes minutes there:
 * it is timed on a smaller batch (recorded in the JSON) and without a
 * warm-up step to keep the bench near 3 minutes; throughput is per image.
 */
const cpuBatch = Number(process.env.UMEDPT_BENCH_CPU_BATCH ?? 1);
const cpuTimedSteps = 1;

function progress(text: string): void {
  process.stderr.write(`[engine bench] ${text}\n`);
}

interface LayerLike {
  getClassName(): string;
  outputShape: tfl.Shape | tfl.Shape[];
  weights: Array<{ shape: number[] }>;
}

/** Forward FLOPs per image of one layer (2 per multiply-add), 0 for layers without MACs. */
export function layerForwardFlops(layer: LayerLike): number {
  const kind = layer.getClassName();
  const kernel = layer.weights[0]?.shape;
  const out = (Array.isArray(layer.outputShape[0]) ? layer.outputShape[0] : layer.outputShape) as Array<number | null>;
  if (!kernel) return 0;
  const positions = out.slice(1, -1).reduce<number>((a, b) => a * (b ?? 1), 1);
  if (kind === 'Conv2D') return 2 * positions * kernel.reduce((a, b) => a * b, 1);
  if (kind === 'DepthwiseConv2D') return 2 * positions * kernel.reduce((a, b) => a * b, 1);
  if (kind === 'Dense') return 2 * positions * kernel.reduce((a, b) => a * b, 1);
  return 0;
}

/** Training FLOPs per image of encoder + squeezer + the head. */
export function trainingFlopsPerImage(model: UmedptModel, task: string): number {
  const layers = [model.encoder.model, model.squeezer, model.heads.get(task)!.model].flatMap((m) => m.layers as unknown as LayerLike[]);
  const forward = layers.map(layerForwardFlops);
  const stem = forward.find((f) => f > 0) ?? 0;
  return 3 * forward.reduce((a, b) => a + b, 0) - stem;
}

function syntheticBatch(size: number, n: number): TaskBatch {
  const images = Float32Array.from({ length: n * size * size * 3 }, (_, i) => Math.sin(i * 0.013) * 0.9);
  return { task: 'cls', kind: 'classification', size, batchSize: n, images, labels: Array.from({ length: n }, (_, i) => i % 4) };
}

function trainStep(model: UmedptModel, batch: TaskBatch, optimizer: tf.Optimizer): number {
  const variables = [...model.sharedVariablesFor('classification'), ...model.headVariables(batch.task)];
  const { value, grads } = tf.variableGrads(() => taskLoss(model, batch, { training: true, dropoutSeed: 1 }), variables);
  optimizer.applyGradients(grads);
  const loss = value.dataSync()[0]!;
  tf.dispose([value, ...Object.values(grads)]);
  return loss;
}

interface StepTiming {
  /** wall-clock seconds per step */
  wall: number;
  /** process CPU seconds per step (all threads): robust to other load on a shared machine */
  cpu: number;
}

async function timeSteps(backend: string, model: UmedptModel, batch: TaskBatch, warmup: number, timed: number): Promise<StepTiming> {
  await tf.setBackend(backend);
  const optimizer = tf.train.sgd(1e-4);
  for (let i = 0; i < warmup; i++) trainStep(model, batch, optimizer);
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < timed; i++) {
    const loss = trainStep(model, batch, optimizer);
    if (!Number.isFinite(loss)) throw new Error(`${backend}: loss became ${loss}`);
  }
  const wall = (performance.now() - start) / timed / 1000;
  const used = process.cpuUsage(cpuStart);
  optimizer.dispose();
  return { wall, cpu: (used.user + used.system) / 1e6 / timed };
}

/** Restarts the wasm backend with another thread count (variables on it are lost). */
async function restartWasm(threads: number): Promise<string> {
  const registry = (tf.engine() as unknown as { registryFactory: Record<string, { factory: () => tf.KernelBackend | Promise<tf.KernelBackend>; priority: number }> }).registryFactory;
  const entry = registry.wasm;
  if (!entry) throw new Error('wasm backend factory not registered');
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', entry.factory, entry.priority);
  const init = await initEngine({ forced: 'wasm', threads });
  return init.reason;
}

/**
 * Best of several 512x512x512 matmuls on single-threaded wasm: the rate
 * XNNPACK's GEMM reaches here, by wall clock and by process CPU time.
 */
async function wasmMatmulGflops(): Promise<{ wall: number; cpu: number }> {
  await tf.setBackend('wasm');
  const n = 512;
  const a = tf.randomUniform([n, n], -1, 1, 'float32', 1);
  const b = tf.randomUniform([n, n], -1, 1, 'float32', 2);
  let bestWall = Infinity;
  let bestCpu = Infinity;
  for (let i = 0; i < 8; i++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const c = tf.matMul(a, b);
    c.dataSync();
    bestWall = Math.min(bestWall, (performance.now() - start) / 1000);
    const used = process.cpuUsage(cpuStart);
    bestCpu = Math.min(bestCpu, (used.user + used.system) / 1e6);
    c.dispose();
  }
  tf.dispose([a, b]);
  const flops = 2 * n ** 3;
  return { wall: flops / bestWall / 1e9, cpu: flops / bestCpu / 1e9 };
}

function model(size: number): UmedptModel {
  return createUmedptModel({ encoder: 'small-cnn', inputSize: size, tasks: [{ name: 'cls', kind: 'classification', numClasses: 4 }], seed: 1 });
}

export async function run(): Promise<BenchSectionResult> {
  const threads = defaultWasmThreads();
  const json: Record<string, unknown> = { batch_size: batchSize, cpu_backend_batch_size: cpuBatch, load_average_1m_start: round(os.loadavg()[0]!) };
  const table: BenchSectionResult['table'] = [];

  json.wasm_1_thread_init = await restartWasm(1);
  const matmul = await wasmMatmulGflops();
  const ceiling = matmul.wall;
  json.wasm_matmul_gflops = round(matmul.wall);
  json.wasm_matmul_gflops_by_cpu_time = round(matmul.cpu);
  progress(`single-threaded wasm matmul ${round(matmul.wall)} GFLOP/s (${round(matmul.cpu)} by CPU time)`);
  const single = new Map<number, StepTiming>();
  const cpu = new Map<number, StepTiming>();
  const flopsPerImage = new Map<number, number>();
  for (const size of sizes) {
    const m = model(size);
    flopsPerImage.set(size, trainingFlopsPerImage(m, 'cls'));
    single.set(size, await timeSteps('wasm', m, syntheticBatch(size, batchSize), 1, wasmTimedSteps));
    progress(`${size}: wasm 1 thread ${round(single.get(size)!.wall)} s/step`);
    cpu.set(size, await timeSteps('cpu', m, syntheticBatch(size, cpuBatch), 0, cpuTimedSteps));
    progress(`${size}: cpu ${round(cpu.get(size)!.wall)} s/step of ${cpuBatch} images`);
    m.dispose();
  }
  const threaded = new Map<number, StepTiming>();
  if (threads > 1) {
    json.wasm_threaded_init = await restartWasm(threads);
    for (const size of sizes) {
      const m = model(size);
      threaded.set(size, await timeSteps('wasm', m, syntheticBatch(size, batchSize), 1, wasmTimedSteps));
      progress(`${size}: wasm ${threads} threads ${round(threaded.get(size)!.wall)} s/step`);
      m.dispose();
    }
  }

  for (const size of sizes) {
    const one = single.get(size)!;
    const ref = cpu.get(size)!;
    const multi = threaded.get(size);
    const best = multi && multi.wall < one.wall ? multi : one;
    const flops = flopsPerImage.get(size)! * batchSize;
    const cpuImagesPerS = cpuBatch / ref.wall;
    const row = {
      size: `${size}x${size}`,
      train_gflop_per_image: round(flopsPerImage.get(size)! / 1e9),
      cpu_images_per_s: round(cpuImagesPerS),
      wasm_1t_images_per_s: round(batchSize / one.wall),
      wasm_1t_gflops: round(flops / one.wall / 1e9),
      wasm_1t_of_matmul_ceiling: round(flops / one.wall / 1e9 / ceiling),
      wasm_1t_images_per_s_by_cpu_time: round(batchSize / one.cpu),
      cpu_images_per_s_by_cpu_time: round(cpuBatch / ref.cpu),
      wasm_1t_gflops_by_cpu_time: round(flops / one.cpu / 1e9),
      wasm_1t_of_matmul_ceiling_by_cpu_time: round(flops / one.cpu / 1e9 / matmul.cpu),
      wasm_1t_vs_cpu: round(batchSize / one.wall / cpuImagesPerS),
      wasm_1t_vs_cpu_by_cpu_time: round((batchSize / one.cpu) / (cpuBatch / ref.cpu)),
      wasm_mt_threads: multi ? threads : 1,
      wasm_mt_images_per_s: multi ? round(batchSize / multi.wall) : null,
      wasm_mt_vs_1t: multi ? round(one.wall / multi.wall) : null,
      wasm_best_vs_cpu: round(batchSize / best.wall / cpuImagesPerS),
    } as Record<string, string | number | null>;
    table.push(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v ?? '-'])) as Record<string, string | number>);
    for (const [k, v] of Object.entries(row)) if (k !== 'size') json[`${k}_${size}`] = v;
  }
  // Headline figures: 128x128, the configuration initEngine picks by default (all cores).
  const size = sizes[sizes.length - 1]!;
  const headline = threaded.get(size) ?? single.get(size)!;
  const flops = flopsPerImage.get(size)! * batchSize;
  json.wasm_threads = threaded.has(size) ? threads : 1;
  json.wasm_vs_cpu_train_ratio = round(batchSize / headline.wall / (cpuBatch / cpu.get(size)!.wall));
  json.wasm_train_images_per_s = round(batchSize / headline.wall);
  json.wasm_train_gflops = round(flops / headline.wall / 1e9);
  json.wasm_train_fraction_of_1t_matmul = round(flops / single.get(size)!.wall / 1e9 / ceiling);
  // Process CPU time is what a step costs on an idle core; wall time on a shared machine is not.
  json.wasm_train_fraction_of_1t_matmul_by_cpu_time = round(flops / single.get(size)!.cpu / 1e9 / matmul.cpu);
  json.wasm_1t_vs_cpu_train_ratio_by_cpu_time = round((batchSize / single.get(size)!.cpu) / (cpuBatch / cpu.get(size)!.cpu));
  json.load_average_1m_end = round(os.loadavg()[0]!);
  return { json, table };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
