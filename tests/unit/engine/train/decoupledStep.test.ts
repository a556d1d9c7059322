import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../../main/engine/backend/initEngine';
import { AdamW } from '../../../../main/engine/train/adamw';
import { decoupledStep, type StepOptimizers } from '../../../../main/engine/train/decoupledStep';
import { naiveStep } from '../../../../main/engine/train/naiveStep';
import { assembleBatch } from '../../../../main/engine/train/taskBatch';
import type { UmedptModel } from '../../../../main/engine/model/umedptModel';
import { tinyModel, tinyTasks } from './trainerFixture';

beforeAll(async () => {
  await initEngine({ forced: 'wasm' });
});

function optimizers(model: UmedptModel): StepOptimizers {
  return {
    shared: new AdamW(model.sharedVariables(), { learningRate: 1e-3 }),
    heads: new Map(model.tasks.map((t) => [t.name, new AdamW(model.headVariables(t.name), { learningRate: 1e-3 })])),
  };
}

function allWeights(model: UmedptModel): number[] {
  return [...model.sharedVariables(), ...model.tasks.flatMap((t) => model.headVariables(t.name))].flatMap((v) => Array.from(v.dataSync()));
}

/** real training steps on 2 shared cores: far above vitest's default */
const heavyTestTimeoutMs = 900_000;

describe('memory-decoupled step', () => {
  it('updates the weights exactly as the naive summed-loss step does (same gradients, task by task)', () => {
    const batches = tinyTasks().map((t) => assembleBatch(t.name, t.kind, t.train.slice(0, 2)));
    const settings = { learningRate: 1e-3, headLearningRate: 1e-3, dropoutSeeds: [1, 2, 3] };
    const a = tinyModel(4);
    const b = tinyModel(4);
    const before = allWeights(a);
    const lossesA = decoupledStep(a, batches, optimizers(a), settings).losses;
    const lossesB = naiveStep(b, batches, optimizers(b), settings);
    for (const name of Object.keys(lossesB)) expect(lossesA[name]).toBeCloseTo(lossesB[name]!, 5);
    const wa = allWeights(a);
    const wb = allWeights(b);
    let maxDiff = 0;
    let maxMove = 0;
    wa.forEach((w, i) => {
      maxDiff = Math.max(maxDiff, Math.abs(w - wb[i]!));
      maxMove = Math.max(maxMove, Math.abs(w - before[i]!));
    });
    expect(maxMove).toBeGreaterThan(5e-4); // the step did move the weights (~lr)
    expect(maxDiff).toBeLessThan(1e-5);
    a.dispose();
    b.dispose();
  }, heavyTestTimeoutMs);

  it('runs the prefetch hook once, after every update of the step is queued and before the losses are read', () => {
    const batches = tinyTasks().map((t) => assembleBatch(t.name, t.kind, t.train.slice(0, 2)));
    const model = tinyModel(5);
    const before = model.sharedVariables().map((v) => Array.from(v.dataSync()));
    const seen: number[] = [];
    const outcome = decoupledStep(model, batches, optimizers(model), {
      learningRate: 1e-3,
      headLearningRate: 1e-3,
      dropoutSeeds: [1, 2, 3],
      whileDeviceBusy: () => {
        // the shared optimizer's step is already issued when the hook runs
        const moved = model.sharedVariables().map((v, i) => Math.max(...Array.from(v.dataSync()).map((w, j) => Math.abs(w - before[i]![j]!))));
        seen.push(Math.max(...moved));
      },
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeGreaterThan(5e-4);
    expect(Object.keys(outcome.losses).sort()).toEqual(batches.map((b) => b.task).sort());
    for (const loss of Object.values(outcome.losses)) expect(Number.isFinite(loss)).toBe(true);
    model.dispose();
  }, heavyTestTimeoutMs);

  it('does not touch another task head and leaves the squeezer alone without a classification task', () => {
    const model = tinyModel(5);
    const [cls, seg] = tinyTasks();
    const opt = optimizers(model);
    const squeezerBefore = model.squeezer.getWeights().map((w) => Array.from(w.dataSync()));
    const clsHeadBefore = model.headVariables(cls!.name).map((v) => Array.from(v.dataSync()));
    decoupledStep(model, [assembleBatch(seg!.name, seg!.kind, seg!.train.slice(0, 2))], opt, { learningRate: 1e-3, headLearningRate: 1e-3, dropoutSeeds: [0] });
    expect(model.squeezer.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(squeezerBefore);
    expect(model.headVariables(cls!.name).map((v) => Array.from(v.dataSync()))).toEqual(clsHeadBefore);
    expect(opt.shared.getState().steps.filter((s) => s === 1).length).toBe(model.sharedVariablesFor('segmentation').length);
    model.dispose();
    tf.dispose(Object.values(opt.heads).flatMap(() => []));
  }, heavyTestTimeoutMs);
});
