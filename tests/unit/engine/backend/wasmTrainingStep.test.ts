/**
 * One training step of the real UMedPT model (main/engine/model, default
 * small-cnn encoder) for every head type runs on wasm with no kernel
 * missing, and gives the loss and the gradients of every trained variable
 * that the cpu backend gives, from the same weights and batch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '../../../../main/engine/backend/initEngine';
import { wasmTrainingKernelNames } from '../../../../main/engine/backend/wasmTrainingKernels';
import { findMissingKernels, unregisteredKernels } from '../../../../main/engine/backend/missingKernels';
import { createUmedptModel, type UmedptModel } from '../../../../main/engine/model/umedptModel';
import { taskLoss } from '../../../../main/engine/train/taskLoss';
import type { TaskBatch } from '../../../../main/engine/train/taskBatch';
import { maxRelativeError } from './kernelHarness';

const size = 32;
const batchSize = 2;
/** float32 sums in another order, through ~40 layers (measured worst: ~5e-6) */
const lossTolerance = 1e-4;
const gradTolerance = 1e-4;

const images = Float32Array.from({ length: batchSize * size * size * 3 }, (_, i) => Math.sin(i * 0.37) * 0.8);
const batches: TaskBatch[] = [
  { task: 'cls', kind: 'classification', size, batchSize, images, labels: [0, 2] },
  { task: 'multi', kind: 'classification', size, batchSize, images, labels: [[1, 0], [1, 1]] },
  { task: 'seg', kind: 'segmentation', size, batchSize, images, masks: Uint8Array.from({ length: batchSize * size * size }, (_, i) => (i % 7 < 3 ? 1 : 0)) },
  { task: 'det', kind: 'detection', size, batchSize, images, boxes: [[{ x: 2, y: 3, w: 14, h: 12, classId: 1 }], [{ x: 12, y: 10, w: 16, h: 18, classId: 0 }]] },
];

let model: UmedptModel;

beforeAll(async () => {
  await initEngine({ forced: 'wasm' });
  model = createUmedptModel({
    encoder: 'small-cnn',
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
});

afterAll(() => model.dispose());

function trainedVariables(batch: TaskBatch): tf.Variable[] {
  return [...model.sharedVariablesFor(batch.kind), ...model.headVariables(batch.task)];
}

interface StepResult {
  loss: number;
  grads: Map<string, Float32Array>;
  /** kernels the step dispatched */
  kernels: string[];
}

/** Loss and gradients of one step on `backend`, recording the kernels it dispatched. */
async function step(backend: string, batch: TaskBatch): Promise<StepResult> {
  await tf.setBackend(backend);
  let loss = NaN;
  const grads = new Map<string, Float32Array>();
  const profile = await tf.profile(() => {
    const result = tf.variableGrads(() => taskLoss(model, batch, { training: true, dropoutSeed: 11 }), trainedVariables(batch));
    loss = result.value.dataSync()[0]!;
    for (const [name, g] of Object.entries(result.grads)) grads.set(name, g.dataSync() as Float32Array);
    tf.dispose([result.value, ...Object.values(result.grads)]);
  });
  return { loss, grads, kernels: profile.kernels.map((k) => k.name).filter((name) => tf.getKernel(name, backend) !== undefined) };
}

describe('a training step on wasm', () => {
  it.each(batches.map((b) => [b.task, b] as const))('%s: no kernel missing, loss and gradients match cpu', { timeout: 600_000 }, async (_name, batch) => {
    // The cpu run has every kernel: what it dispatched is what wasm must have.
    const cpu = await step('cpu', batch);
    expect(cpu.kernels.length).toBeGreaterThan(10);
    expect(unregisteredKernels(cpu.kernels, 'wasm')).toEqual([]);
    const wasm = await step('wasm', batch);
    expect(Number.isFinite(cpu.loss)).toBe(true);
    expect(Math.abs(wasm.loss - cpu.loss) / Math.max(1, Math.abs(cpu.loss))).toBeLessThan(lossTolerance);
    expect([...wasm.grads.keys()].sort()).toEqual([...cpu.grads.keys()].sort());
    let worst = 0;
    for (const [name, expected] of cpu.grads) {
      const err = maxRelativeError(wasm.grads.get(name)!, expected);
      expect(err, name).toBeLessThan(gradTolerance);
      worst = Math.max(worst, err);
    }
    const provided = wasmTrainingKernelNames.filter((k) => cpu.kernels.includes(k));
    console.log(`${batch.task}: loss cpu ${cpu.loss.toFixed(6)} wasm ${wasm.loss.toFixed(6)}, ${cpu.grads.size} gradients, worst relative error ${worst.toExponential(2)}; engine-provided kernels used: ${provided.join(', ')}`);
  });

  it('findMissingKernels reports a kernel wasm lacks (Einsum) and leaves the backend as it was', async () => {
    await tf.setBackend('wasm');
    const a = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const usage = await findMissingKernels(() => tf.einsum('ij,jk->ik', a, a));
    expect(usage.missing).toEqual(['Einsum']);
    expect(tf.getBackend()).toBe('wasm');
    a.dispose();
  });
});
