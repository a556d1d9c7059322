/**
 * The engine on webgpu (Dawn's Node binding; here SwiftShader, a software
 * Vulkan driver, so sizes are tiny): a training step of every encoder with
 * every head type gives the loss and the gradient of every trained variable
 * the cpu backend gives (which runs the forward and gradient of every kernel
 * the model dispatches); a full memory-decoupled multi-task step updates the
 * weights as on cpu; a short run's losses track wasm's; 50 steps leave no
 * tensor or GPU buffer behind. Skipped, saying why, where no adapter exists.
 */
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '../../../../main/engine/backend/initEngine';
import { formatAdapter } from '../../../../shared/api/system';
import { createUmedptModel, type UmedptModel } from '../../../../main/engine/model/umedptModel';
import type { RunEncoderName } from '../../../../shared/runConfig';
import { taskLoss } from '../../../../main/engine/train/taskLoss';
import type { TaskBatch } from '../../../../main/engine/train/taskBatch';
import { decoupledStepAsync } from '../../../../main/engine/train/decoupledStep';
import { AdamW } from '../../../../main/engine/train/adamw';
import { unregisteredKernels } from '../../../../main/engine/backend/missingKernels';
import { maxRelativeError } from './kernelHarness';
import { tinyTasks, tinyTrainer } from '../train/trainerFixture';
import { MultiTaskTrainer } from '../../../../main/engine/train/multiTaskTrainer';

const tolerance = 1e-4;
let unavailable: string | null = null;

beforeAll(async () => {
  const init = await initEngine({ forced: 'webgpu' });
  if (init.backend !== 'webgpu') {
    unavailable = `no WebGPU adapter here: ${init.reason}`;
    console.log(`webgpu tests skipped: ${unavailable}`);
  } else console.log(`webgpu adapter: ${formatAdapter(init.adapter!)}`);
}, 120_000);

function needWebgpu(ctx: TestContext): void {
  if (unavailable) ctx.skip(unavailable);
}

function batchesFor(size: number, batchSize: number): TaskBatch[] {
  const images = Float32Array.from({ length: batchSize * size * size * 3 }, (_, i) => Math.sin(i * 0.37) * 0.8);
  const at = (b: number, v: number) => v + b * 6;
  return [
    { task: 'cls', kind: 'classification', size, batchSize, images, labels: Array.from({ length: batchSize }, (_, b) => b % 3) },
    { task: 'multi', kind: 'classification', size, batchSize, images, labels: Array.from({ length: batchSize }, (_, b) => [1, b % 2]) },
    { task: 'seg', kind: 'segmentation', size, batchSize, images, masks: Uint8Array.from({ length: batchSize * size * size }, (_, i) => (i % 7 < 3 ? 1 : 0)) },
    { task: 'det', kind: 'detection', size, batchSize, images, boxes: Array.from({ length: batchSize }, (_, b) => [{ x: at(b, 2), y: at(b, 3), w: 14, h: 12, classId: b % 2 }]) },
  ];
}

function modelFor(encoder: RunEncoderName, size: number): UmedptModel {
  return createUmedptModel({
    encoder,
    inputSize: size,
    squeezerWidth: 32,
    detectionWidth: 16,
    seed: 3,
    tasks: [
      { name: 'cls', kind: 'classification', numClasses: 3 },
      { name: 'multi', kind: 'classification', numClasses: 2, multiLabel: true },
      { name: 'seg', kind: 'segmentation', numClasses: 2 },
      { name: 'det', kind: 'detection', numClasses: 2 },
    ],
  });
}

interface StepResult {
  loss: number;
  grads: Map<string, Float32Array>;
  kernels: string[];
}

/**
 * Switches backend. Tensors move between backends with a synchronous read,
 * which webgpu in Node lacks: every variable is read once with data() first
 * (the backend keeps the values, and the move uses them).
 */
async function useBackend(backend: string): Promise<void> {
  await Promise.all(Object.values(tf.engine().registeredVariables).map((v) => v.data()));
  await tf.setBackend(backend);
}

async function lossAndGradients(model: UmedptModel, backend: string, batch: TaskBatch): Promise<StepResult> {
  await useBackend(backend);
  const vars = [...model.sharedVariablesFor(batch.kind), ...model.headVariables(batch.task)];
  let result: { value: tf.Scalar; grads: tf.NamedTensorMap } | null = null;
  const profile = await tf.profile(() => {
    result = tf.variableGrads(() => taskLoss(model, batch, { training: true, dropoutSeed: 11 }), vars);
  });
  const { value, grads } = result!;
  const loss = (await value.data())[0]!;
  const out = new Map<string, Float32Array>();
  for (const [name, g] of Object.entries(grads)) out.set(name, (await g.data()) as Float32Array);
  tf.dispose([value, ...Object.values(grads)]);
  // op-level entries (fusedConv2d__op, ...) are not kernels
  return { loss, grads: out, kernels: [...new Set(profile.kernels.map((k) => k.name).filter((n) => !n.endsWith('__op')))] };
}

function worstError(actual: StepResult, expected: StepResult): { worst: number; name: string } {
  let worst = 0;
  let name = '';
  for (const [n, e] of expected.grads) {
    const err = maxRelativeError(actual.grads.get(n)!, e);
    if (err > worst) [worst, name] = [err, n];
  }
  return { worst, name };
}

/** tiny sizes: SwiftShader and the cpu backend are slow; the encoders need a multiple of 32 */
const encoderCases: Array<{ encoder: RunEncoderName; size: number; tasks: string[] }> = [
  { encoder: 'small-cnn', size: 32, tasks: ['cls', 'multi', 'seg', 'det'] },
  { encoder: 'resnet18', size: 32, tasks: ['cls', 'seg', 'det'] },
  // the deeper encoders: one head each (their heads' kernels are the ones above), to keep the cpu reference in minutes
  { encoder: 'resnet50', size: 32, tasks: ['det'] },
  { encoder: 'convnext-t', size: 32, tasks: ['seg'] },
];

describe('training on webgpu matches cpu', () => {
  for (const c of encoderCases) {
    it(`${c.encoder}: loss and every gradient of ${c.tasks.join(', ')} match cpu (every kernel they dispatch, forward and backward)`, { timeout: 1_800_000 }, async (ctx) => {
      needWebgpu(ctx);
      const model = modelFor(c.encoder, c.size);
      try {
        for (const batch of batchesFor(c.size, c.encoder === 'small-cnn' ? 2 : 1).filter((b) => c.tasks.includes(b.task))) {
          const cpu = await lossAndGradients(model, 'cpu', batch);
          expect(unregisteredKernels(cpu.kernels, 'webgpu')).toEqual([]);
          const gpu = await lossAndGradients(model, 'webgpu', batch);
          expect(Number.isFinite(cpu.loss)).toBe(true);
          expect(Math.abs(gpu.loss - cpu.loss) / Math.max(1, Math.abs(cpu.loss))).toBeLessThan(tolerance);
          expect([...gpu.grads.keys()].sort()).toEqual([...cpu.grads.keys()].sort());
          const { worst, name } = worstError(gpu, cpu);
          console.log(`${c.encoder} ${batch.task}: loss cpu ${cpu.loss.toFixed(6)} webgpu ${gpu.loss.toFixed(6)}, ${cpu.grads.size} gradients, worst error ${worst.toExponential(2)} (${name}); ${cpu.kernels.length} kernels: ${cpu.kernels.join(' ')}`);
          expect(worst, name).toBeLessThan(tolerance);
        }
      } finally {
        model.dispose();
      }
    });
  }

  it('a memory-decoupled multi-task step with all three head types updates every weight as on cpu', { timeout: 900_000 }, async (ctx) => {
    needWebgpu(ctx);
    const model = modelFor('small-cnn', 32);
    const batches = batchesFor(32, 2);
    const allVariables = [...model.sharedVariables(), ...batches.flatMap((b) => model.headVariables(b.task))];
    const initial = await Promise.all(allVariables.map((v) => v.data()));
    const runOn = async (backend: string): Promise<{ losses: Record<string, number>; weights: Float32Array[] }> => {
      await useBackend(backend);
      allVariables.forEach((v, i) => v.assign(tf.tensor(initial[i]!, v.shape)));
      const optimizers = {
        shared: new AdamW(model.sharedVariables()),
        heads: new Map(batches.map((b) => [b.task, new AdamW(model.headVariables(b.task))])),
      };
      const outcome = await decoupledStepAsync(model, batches, optimizers, { learningRate: 1e-3, headLearningRate: 1e-3, clipGradNorm: 1, dropoutSeeds: [1, 2, 3, 4] });
      const weights = (await Promise.all(allVariables.map((v) => v.data()))) as Float32Array[];
      optimizers.shared.dispose();
      for (const o of optimizers.heads.values()) o.dispose();
      return { losses: outcome.losses, weights };
    };
    try {
      const cpu = await runOn('cpu');
      const gpu = await runOn('webgpu');
      expect(Object.keys(gpu.losses).sort()).toEqual(['cls', 'det', 'multi', 'seg']);
      for (const [task, loss] of Object.entries(cpu.losses)) expect(Math.abs(gpu.losses[task]! - loss), task).toBeLessThan(tolerance * Math.max(1, loss));
      let worst = 0;
      let changed = 0;
      cpu.weights.forEach((w, i) => {
        worst = Math.max(worst, maxRelativeError(gpu.weights[i]!, w));
        if (maxRelativeError(w, initial[i] as Float32Array) > 0) changed++;
      });
      console.log(`decoupled step: losses ${JSON.stringify(gpu.losses)}; ${changed}/${cpu.weights.length} weights changed; worst weight error vs cpu ${worst.toExponential(2)}`);
      expect(changed).toBeGreaterThan(cpu.weights.length / 2);
      expect(worst).toBeLessThan(tolerance);
    } finally {
      model.dispose();
    }
  });
});

interface MemorySnapshot {
  tensors: number;
  bytes: number;
  gpuBuffers: number;
  gpuBytes: number;
}

/** tfjs's tensor counts and the webgpu backend's buffer pool (buffers in use + free for reuse) */
function memorySnapshot(): MemorySnapshot {
  const m = tf.memory() as tf.MemoryInfo & { numBytesAllocatedInGPU?: number };
  const backend = tf.backend() as unknown as { bufferManager?: { getNumUsedBuffers(): number; getNumFreeBuffers(): number } };
  return { tensors: m.numTensors, bytes: m.numBytes, gpuBuffers: (backend.bufferManager?.getNumUsedBuffers() ?? 0) + (backend.bufferManager?.getNumFreeBuffers() ?? 0), gpuBytes: m.numBytesAllocatedInGPU ?? -1 };
}

function expectNoGrowth(before: MemorySnapshot, after: MemorySnapshot): void {
  expect(after.tensors).toBe(before.tensors);
  expect(after.bytes).toBe(before.bytes);
  expect(after.gpuBuffers).toBeLessThanOrEqual(before.gpuBuffers);
  if (before.gpuBytes >= 0) expect(after.gpuBytes).toBeLessThanOrEqual(before.gpuBytes);
}

describe('a short run on webgpu', () => {
  afterAll(async () => {
    if (!unavailable) await tf.setBackend('webgpu');
  });

  it('tracks the losses of the same seeded run on wasm', { timeout: 900_000 }, async (ctx) => {
    needWebgpu(ctx);
    const steps = 8;
    const snapshots: MemorySnapshot[] = [];
    const lossesOn = async (backend: string): Promise<Array<Record<string, number>>> => {
      if (backend === 'wasm') await initEngine({ forced: 'wasm', threads: 1 });
      else await useBackend(backend);
      const trainer = tinyTrainer({ prefetch: false });
      const out: Array<Record<string, number>> = [];
      try {
        for (let i = 0; i < steps; i++) {
          out.push((await trainer.stepAsync()).taskLosses);
          // after warm-up, and at the end: webgpu's tensors and buffers stay as they were
          if (backend === 'webgpu' && (i === 2 || i === steps - 1)) snapshots.push(memorySnapshot());
        }
      } finally {
        trainer.dispose();
        trainer.model.dispose();
      }
      return out;
    };
    const gpu = await lossesOn('webgpu');
    console.log(`three-task run on webgpu, step 3 ${JSON.stringify(snapshots[0])}, step ${steps} ${JSON.stringify(snapshots[1])}`);
    expectNoGrowth(snapshots[0]!, snapshots[1]!);
    const wasm = await lossesOn('wasm');
    let worst = 0;
    gpu.forEach((losses, i) => {
      for (const [task, loss] of Object.entries(wasm[i]!)) worst = Math.max(worst, Math.abs(losses[task]! - loss) / Math.max(1, loss));
    });
    console.log(`${steps} steps: worst loss difference webgpu vs wasm ${worst.toExponential(2)}; first ${JSON.stringify(gpu[0])}, last ${JSON.stringify(gpu[steps - 1])}`);
    expect(worst).toBeLessThan(1e-3);
    // the losses moved: the run trained
    expect(Object.values(gpu[steps - 1]!)).not.toEqual(Object.values(gpu[0]!));
  });

  it('leaves no tensor and no GPU buffer behind over 50 steps', { timeout: 1_800_000 }, async (ctx) => {
    needWebgpu(ctx);
    await tf.setBackend('webgpu');
    // one classification task at 32 px, batch 1: the smallest real training step (a few seconds on
    // SwiftShader); the three-task run above checks the other heads' steps for growth over its 8 steps
    const classification = tinyTasks().filter((t) => t.kind === 'classification');
    const model = createUmedptModel({ encoder: 'small-cnn', inputSize: 32, squeezerWidth: 32, seed: 1, tasks: classification.map((t) => ({ name: t.name, kind: t.kind, numClasses: t.classNames.length })) });
    const trainer = new MultiTaskTrainer(model, classification, { batchSize: 1, learningRate: 1e-3, seed: 1, prefetch: true, clipGradNorm: 5 });
    try {
      for (let i = 0; i < 3; i++) await trainer.stepAsync(); // warm-up: pools fill
      const before = memorySnapshot();
      for (let i = 0; i < 50; i++) await trainer.stepAsync();
      const after = memorySnapshot();
      console.log(`50 steps on webgpu: before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
      expectNoGrowth(before, after);
    } finally {
      trainer.dispose();
      model.dispose();
    }
  });
});
