/**
 * decoupledStepAsync (the step webgpu runs, losses read with one await) against
 * the synchronous step, on the cpu backend: different shared and head learning
 * rates, clipping that bites and clipping that does not, three tasks with
 * batches of different sizes.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../../main/engine/backend/initEngine';
import { AdamW } from '../../../../main/engine/train/adamw';
import { decoupledStep, decoupledStepAsync, type StepOptimizers, type StepSettings } from '../../../../main/engine/train/decoupledStep';
import { assembleBatch, type TaskBatch } from '../../../../main/engine/train/taskBatch';
import type { UmedptModel } from '../../../../main/engine/model/umedptModel';
import { tinyModel, tinyTasks } from './trainerFixture';

beforeAll(async () => {
  await initEngine({ forced: 'cpu' });
});

/** real training steps on 2 shared cores: far above vitest's default */
const heavyTestTimeoutMs = 600_000;

/** weight decay 0: Adam's first step then moves a weight by its rate, no more */
function optimizers(model: UmedptModel): StepOptimizers {
  return {
    shared: new AdamW(model.sharedVariables(), { weightDecay: 0 }),
    heads: new Map(model.tasks.map((t) => [t.name, new AdamW(model.headVariables(t.name), { weightDecay: 0 })])),
  };
}

const weights = (vars: tf.Variable[]): number[] => vars.flatMap((v) => Array.from(v.dataSync()));
const allWeights = (model: UmedptModel): number[] => weights([...model.sharedVariables(), ...model.tasks.flatMap((t) => model.headVariables(t.name))]);
const maxDiff = (a: number[], b: number[]): number => a.reduce((m, w, i) => Math.max(m, Math.abs(w - b[i]!)), 0);

/** one batch per task, of 1, 2 and 3 images: no two tasks the same size */
function unevenBatches(step: number): TaskBatch[] {
  return tinyTasks().map((t, i) => assembleBatch(t.name, t.kind, t.train.slice(step, step + i + 1)));
}

describe('decoupledStepAsync', () => {
  it('moves every weight exactly as the synchronous step does and resolves the same per-task losses, over a free and a clipped step', async () => {
    const tasks = tinyTasks();
    const syncModel = tinyModel(11);
    const asyncModel = tinyModel(11);
    const syncOpt = optimizers(syncModel);
    const asyncOpt = optimizers(asyncModel);
    const sharedBefore = weights(asyncModel.sharedVariables());
    const headsBefore = tasks.map((t) => weights(asyncModel.headVariables(t.name)));
    // step 1: no clipping, the heads at four times the shared rate
    const free: StepSettings = { learningRate: 1e-3, headLearningRate: 4e-3, dropoutSeeds: [7, 8, 9] };
    const syncFree = decoupledStep(syncModel, unevenBatches(0), syncOpt, free);
    const asyncFree = await decoupledStepAsync(asyncModel, unevenBatches(0), asyncOpt, free);
    // Adam's first step moves a weight by about its rate: the async step gave each side its own rate
    expect(maxDiff(weights(asyncModel.sharedVariables()), sharedBefore)).toBeCloseTo(1e-3, 4);
    tasks.forEach((t, i) => expect(maxDiff(weights(asyncModel.headVariables(t.name)), headsBefore[i]!), t.name).toBeCloseTo(4e-3, 4));
    // step 2: the rates the other way round, gradients clipped far below their norm
    const clipped: StepSettings = { learningRate: 3e-3, headLearningRate: 5e-4, clipGradNorm: 1e-3, dropoutSeeds: [1, 2, 3] };
    const syncClipped = decoupledStep(syncModel, unevenBatches(3), syncOpt, clipped);
    const asyncClipped = await decoupledStepAsync(asyncModel, unevenBatches(3), asyncOpt, clipped);
    expect(maxDiff(allWeights(asyncModel), allWeights(syncModel))).toBe(0);
    for (const [asyncOutcome, syncOutcome] of [
      [asyncFree, syncFree],
      [asyncClipped, syncClipped],
    ] as const) {
      expect(Object.keys(asyncOutcome.losses).sort()).toEqual(tasks.map((t) => t.name).sort());
      // each task's own loss, not another's: the three differ
      expect(new Set(Object.values(asyncOutcome.losses)).size).toBe(tasks.length);
      for (const t of tasks) expect(asyncOutcome.losses[t.name], t.name).toBe(syncOutcome.losses[t.name]);
      expect(Object.keys(asyncOutcome.taskSeconds).sort()).toEqual(tasks.map((t) => t.name).sort());
    }
    syncModel.dispose();
    asyncModel.dispose();
  }, heavyTestTimeoutMs);

  it('leaves no tensor behind: the loss scalars and their stacked read are freed', async () => {
    const task = tinyTasks()[0]!;
    const model = tinyModel(12);
    const opt = optimizers(model);
    const batches = [assembleBatch(task.name, task.kind, task.train.slice(0, 2))];
    const settings: StepSettings = { learningRate: 1e-3, headLearningRate: 2e-3, clipGradNorm: 0.5, dropoutSeeds: [4] };
    // the first step creates the optimizer's moments: count after it
    await decoupledStepAsync(model, batches, opt, settings);
    const before = tf.memory().numTensors;
    const outcome = await decoupledStepAsync(model, batches, opt, settings);
    expect(tf.memory().numTensors).toBe(before);
    expect(Number.isFinite(outcome.losses[task.name])).toBe(true);
    model.dispose();
  }, heavyTestTimeoutMs);

  it('rejects a task without a head optimizer by name', async () => {
    const task = tinyTasks()[1]!;
    const model = tinyModel(13);
    const opt: StepOptimizers = { shared: new AdamW(model.sharedVariables()), heads: new Map() };
    await expect(decoupledStepAsync(model, [assembleBatch(task.name, task.kind, task.train.slice(0, 1))], opt, { learningRate: 1e-3, headLearningRate: 1e-3, dropoutSeeds: [0] })).rejects.toThrow(
      `no optimizer for the head of task '${task.name}'`,
    );
    model.dispose();
  }, heavyTestTimeoutMs);
});
