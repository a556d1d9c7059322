/**
 * npm run bench -- gpu: training images/s of the small CNN at 64 px and
 * ResNet-18 at 224 px (one classification head, AdamW, the engine's
 * decoupled step with its asynchronous loss read) on every backend present:
 * webgpu (forced, so a software adapter counts too, and is marked so), wasm,
 * cpu. Writes bench-results/gpu.json with `webgpu_adapter`.
 *
 * Sizes: batch 32 on a hardware adapter (wasm: 32 for the small CNN, 4 for
 * ResNet-18); on a software adapter
 * (SwiftShader) and the cpu backend far smaller batches and fewer steps, so
 * the section ends in minutes (the row says what it ran). Override with
 * UMEDPT_BENCH_GPU_BATCH / UMEDPT_BENCH_GPU_STEPS.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '../../main/engine/backend/initEngine';
import { createUmedptModel } from '../../main/engine/model/umedptModel';
import { AdamW } from '../../main/engine/train/adamw';
import { decoupledStepAsync } from '../../main/engine/train/decoupledStep';
import type { TaskBatch } from '../../main/engine/train/taskBatch';
import type { RunEncoderName } from '../../shared/runConfig';
import { formatAdapter, type GpuAdapterDescription } from '../../shared/api/system';
import type { BenchSectionResult } from './index';

interface Row {
  backend: string;
  model: string;
  size: number;
  batch: number;
  steps: number;
  images_per_s: number | null;
  note: string;
}

const envNumber = (name: string): number | null => (process.env[name] ? Number(process.env[name]) : null);

/** images/s of `steps` training steps after one warm-up step (shader compilation, buffer pools) */
export async function trainingImagesPerSecond(encoder: RunEncoderName, size: number, batch: number, steps: number): Promise<number> {
  const model = createUmedptModel({ encoder, inputSize: size, squeezerWidth: 32, detectionWidth: 16, seed: 1, tasks: [{ name: 'cls', kind: 'classification', numClasses: 4 }] });
  const optimizers = { shared: new AdamW(model.sharedVariablesFor('classification')), heads: new Map([['cls', new AdamW(model.headVariables('cls'))]]) };
  const images = Float32Array.from({ length: batch * size * size * 3 }, (_, i) => Math.sin(i * 0.37) * 0.8);
  const taskBatch: TaskBatch = { task: 'cls', kind: 'classification', size, batchSize: batch, images, labels: Array.from({ length: batch }, (_, i) => i % 4) };
  const settings = { learningRate: 1e-4, headLearningRate: 1e-4, dropoutSeeds: [1] };
  try {
    await decoupledStepAsync(model, [taskBatch], optimizers, settings);
    const started = performance.now();
    for (let i = 0; i < steps; i++) await decoupledStepAsync(model, [taskBatch], optimizers, settings);
    return (batch * steps) / ((performance.now() - started) / 1000);
  } finally {
    optimizers.shared.dispose();
    for (const o of optimizers.heads.values()) o.dispose();
    model.dispose();
  }
}

async function measure(backend: string, software: boolean): Promise<Row[]> {
  const slow = software || backend === 'cpu';
  const cases: Array<{ encoder: RunEncoderName; size: number; batch: number; steps: number }> = [
    { encoder: 'small-cnn', size: 64, batch: envNumber('UMEDPT_BENCH_GPU_BATCH') ?? (slow ? 4 : 32), steps: envNumber('UMEDPT_BENCH_GPU_STEPS') ?? (slow ? 2 : 10) },
    // wasm: batch 4 (a batch-32 ResNet-18 step at 224 px holds gigabytes and minutes on a shared 2-core machine)
    { encoder: 'resnet18', size: 224, batch: envNumber('UMEDPT_BENCH_GPU_BATCH') ?? (slow ? 1 : backend === 'wasm' ? 4 : 32), steps: envNumber('UMEDPT_BENCH_GPU_STEPS') ?? (slow || backend === 'wasm' ? 1 : 5) },
  ];
  const rows: Row[] = [];
  for (const c of cases) {
    if (backend === 'cpu' && c.encoder === 'resnet18') {
      rows.push({ backend, model: c.encoder, size: c.size, batch: 0, steps: 0, images_per_s: null, note: 'not run: the cpu backend needs many minutes per ResNet-18 step at 224 px' });
      continue;
    }
    try {
      const ips = await trainingImagesPerSecond(c.encoder, c.size, c.batch, c.steps);
      rows.push({ backend, model: c.encoder, size: c.size, batch: c.batch, steps: c.steps, images_per_s: Number(ips.toPrecision(3)), note: software ? 'software adapter (SwiftShader on the CPU): a reference, not a GPU speed' : '' });
    } catch (err) {
      rows.push({ backend, model: c.encoder, size: c.size, batch: c.batch, steps: c.steps, images_per_s: null, note: `failed: ${(err as Error).message.split('\n')[0]}` });
    }
  }
  return rows;
}

export async function run(): Promise<BenchSectionResult> {
  const rows: Row[] = [];
  let adapter: GpuAdapterDescription | null = null;
  const gpu = await initEngine({ forced: 'webgpu' });
  if (gpu.backend === 'webgpu') {
    adapter = gpu.adapter ?? null;
    rows.push(...(await measure('webgpu', adapter?.software ?? false)));
  } else {
    rows.push({ backend: 'webgpu', model: '-', size: 0, batch: 0, steps: 0, images_per_s: null, note: `not present: ${gpu.reason}` });
  }
  await initEngine({ forced: 'wasm' });
  rows.push(...(await measure('wasm', false)));
  await tf.setBackend('cpu');
  rows.push(...(await measure('cpu', false)));
  const find = (backend: string, model: string) => rows.find((r) => r.backend === backend && r.model === model)?.images_per_s ?? null;
  return {
    json: {
      webgpu_adapter: adapter ? formatAdapter(adapter) : null,
      webgpu_adapter_software: adapter?.software ?? null,
      webgpu_small_cnn_64_images_per_s: find('webgpu', 'small-cnn'),
      webgpu_resnet18_224_images_per_s: find('webgpu', 'resnet18'),
      wasm_small_cnn_64_images_per_s: find('wasm', 'small-cnn'),
      wasm_resnet18_224_images_per_s: find('wasm', 'resnet18'),
      cpu_small_cnn_64_images_per_s: find('cpu', 'small-cnn'),
      load_average: (await import('node:os')).loadavg()[0],
      rows,
    },
    table: rows.map((r) => ({ ...r, images_per_s: r.images_per_s ?? '-' })),
  };
}
