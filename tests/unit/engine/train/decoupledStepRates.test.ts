/**
 * The decoupled step with the app's asymmetric settings: the shared weights
 * and the heads at different learning rates, gradients clipped; and
 * applyWithClipping on its own against a hand-computed AdamW.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../../main/engine/backend/initEngine';
import { AdamW } from '../../../../main/engine/train/adamw';
import { applyWithClipping, decoupledStep, type StepOptimizers, type StepSettings } from '../../../../main/engine/train/decoupledStep';
import { naiveStep } from '../../../../main/engine/train/naiveStep';
import { assembleBatch } from '../../../../main/engine/train/taskBatch';
import type { UmedptModel } from '../../../../main/engine/model/umedptModel';
import { tinyModel, tinyTasks } from './trainerFixture';

beforeAll(async () => {
  await initEngine({ forced: 'wasm' });
});

function optimizers(model: UmedptModel): StepOptimizers {
  return {
    shared: new AdamW(model.sharedVariables(), { weightDecay: 0 }),
    heads: new Map(model.tasks.map((t) => [t.name, new AdamW(model.headVariables(t.name), { weightDecay: 0 })])),
  };
}

const snapshot = (vars: tf.Variable[]): number[] => vars.flatMap((v) => Array.from(v.dataSync()));
const maxMove = (after: number[], before: number[]): number => after.reduce((m, w, i) => Math.max(m, Math.abs(w - before[i]!)), 0);

/** the first Adam step moves a weight with a gradient by lr (g / |g|); weight decay is 0 here */
describe('decoupled step with different shared and head learning rates', () => {
  it('moves shared weights by the shared rate and heads by the head rate, and equals the naive step with clipping over two steps', () => {
    const tasks = tinyTasks();
    const batches = [0, 1].map((step) => tasks.map((t) => assembleBatch(t.name, t.kind, t.train.slice(step * 2, step * 2 + 2))));
    const first: StepSettings = { learningRate: 1e-3, headLearningRate: 4e-3, dropoutSeeds: [1, 2, 3] };
    const a = tinyModel(6);
    const b = tinyModel(6);
    const optA = optimizers(a);
    const optB = optimizers(b);
    const sharedBefore = snapshot(a.sharedVariables());
    const headsBefore = tasks.map((t) => snapshot(a.headVariables(t.name)));
    decoupledStep(a, batches[0]!, optA, first);
    naiveStep(b, batches[0]!, optB, first);
    expect(maxMove(snapshot(a.sharedVariables()), sharedBefore)).toBeCloseTo(1e-3, 4);
    tasks.forEach((t, i) => expect(maxMove(snapshot(a.headVariables(t.name)), headsBefore[i]!), t.name).toBeCloseTo(4e-3, 4));
    // second step clipped hard: Adam is scale-invariant on its first step only, so clipping shows here
    const second: StepSettings = { learningRate: 2e-3, headLearningRate: 5e-4, clipGradNorm: 1e-3, dropoutSeeds: [4, 5, 6] };
    decoupledStep(a, batches[1]!, optA, second);
    naiveStep(b, batches[1]!, optB, second);
    const all = (m: UmedptModel) => snapshot([...m.sharedVariables(), ...tasks.flatMap((t) => m.headVariables(t.name))]);
    expect(maxMove(all(a), all(b))).toBeLessThan(2e-6);
    a.dispose();
    b.dispose();
  }, 600_000);

  it('leaves no tensor behind, and times each task within the wall time of the step', () => {
    const tasks = tinyTasks();
    const batches = tasks.map((t) => assembleBatch(t.name, t.kind, t.train.slice(0, 2)));
    const model = tinyModel(8);
    const opt = optimizers(model);
    const settings: StepSettings = { learningRate: 1e-3, headLearningRate: 2e-3, clipGradNorm: 0.5, dropoutSeeds: [1, 2, 3] };
    decoupledStep(model, batches, opt, settings);
    const before = tf.memory().numTensors;
    const started = performance.now();
    const outcome = decoupledStep(model, batches, opt, settings);
    const wallSeconds = (performance.now() - started) / 1000;
    expect(tf.memory().numTensors).toBe(before);
    const seconds = Object.values(outcome.taskSeconds);
    expect(Object.keys(outcome.taskSeconds).sort()).toEqual(tasks.map((t) => t.name).sort());
    for (const s of seconds) expect(s).toBeGreaterThan(0);
    expect(seconds.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(wallSeconds);
    model.dispose();
  }, 600_000);

  it('names a task without a head optimizer', () => {
    const model = tinyModel(7);
    const task = tinyTasks()[0]!;
    const opt = { shared: new AdamW(model.sharedVariables()), heads: new Map<string, AdamW>() };
    expect(() => decoupledStep(model, [assembleBatch(task.name, task.kind, task.train.slice(0, 1))], opt, { learningRate: 1e-3, headLearningRate: 1e-3, dropoutSeeds: [0] })).toThrow(
      new RegExp(`no optimizer for the head of task '${task.name}'`),
    );
    model.dispose();
  }, 600_000);
});

/** AdamW by hand for one scalar, on the given (already clipped) gradients */
function handAdam(p: number, grads: number[], lr: number, b1 = 0.9, b2 = 0.999, eps = 1e-8): number {
  let m = 0;
  let v = 0;
  grads.forEach((g, i) => {
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    p -= (lr * (m / (1 - b1 ** (i + 1)))) / (Math.sqrt(v / (1 - b2 ** (i + 1))) + eps);
  });
  return p;
}

describe('applyWithClipping', () => {
  it('clips to the global norm before the update, at the given rate, and frees the clipped copies', () => {
    const x = tf.variable(tf.tensor1d([1, -2]));
    const opt = new AdamW([x], { weightDecay: 0, learningRate: 0.5 });
    const steps = [
      [30, 40],
      [0.3, -0.1],
    ];
    const tensorsBefore = tf.memory().numTensors;
    for (const g of steps) {
      const grad = tf.tensor1d(g);
      applyWithClipping(opt, [grad], 0.01, 5);
      grad.dispose();
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    // norm 50 clipped to 5 (scale 5 / (50 + 1e-6)); norm 0.32 left alone
    const clipped = [
      [3, 4],
      [0.3, -0.1],
    ];
    const got = Array.from(x.dataSync());
    [1, -2].forEach((p0, i) => expect(got[i]).toBeCloseTo(handAdam(p0, clipped.map((g) => g[i]!), 0.01), 6));
    // unclipped the result differs: the test can tell
    [1, -2].forEach((p0, i) => expect(Math.abs(handAdam(p0, steps.map((g) => g[i]!), 0.01) - got[i]!)).toBeGreaterThan(1e-4));
  });

  it('without a max norm applies the gradients as they are, at the given rate', () => {
    const x = tf.variable(tf.tensor1d([1, -2]));
    const opt = new AdamW([x], { weightDecay: 0, learningRate: 0.5 });
    applyWithClipping(opt, [tf.tensor1d([30, -40])], 0.01);
    applyWithClipping(opt, [tf.tensor1d([0.3, -0.1])], 0.01);
    const got = Array.from(x.dataSync());
    expect(got[0]).toBeCloseTo(handAdam(1, [30, 0.3], 0.01), 6);
    expect(got[1]).toBeCloseTo(handAdam(-2, [-40, -0.1], 0.01), 6);
  });
});
