import { describe, expect, it } from 'vitest';
import { CyclicTaskSampler } from '../../../../main/engine/train/cyclicSampler';

describe('cyclic task sampler', () => {
  const tasks = [
    { name: 'small', size: 4, batchSize: 2 },
    { name: 'large', size: 10, batchSize: 3 },
  ];

  it('gives one batch per task per step and ends the epoch when the longest task was seen once', () => {
    const s = new CyclicTaskSampler(tasks, 1);
    expect(s.stepsPerEpoch()).toBe(3);
    const steps = [s.nextStep(), s.nextStep(), s.nextStep()];
    expect(steps.every((st) => st[0]!.length === 2 && st[1]!.length === 3)).toBe(true);
    // the long task saw 9 distinct samples in its epoch
    expect(new Set(steps.flatMap((st) => st[1]!)).size).toBe(9);
    // the short task restarted (new pass) after 2 steps
    expect(s.getState()[0]).toEqual({ pass: 1, cursor: 2 });
    expect(new Set([...steps[0]![0]!, ...steps[1]![0]!])).toEqual(new Set([0, 1, 2, 3]));
  });

  it('reshuffles on every pass and is reproducible from the seed', () => {
    const a = new CyclicTaskSampler(tasks, 5);
    const b = new CyclicTaskSampler(tasks, 5);
    const seqA = Array.from({ length: 8 }, () => a.nextStep());
    const seqB = Array.from({ length: 8 }, () => b.nextStep());
    expect(seqA).toEqual(seqB);
    const passes = [seqA[0]![1]!, seqA[3]![1]!];
    expect(passes[0]).not.toEqual(passes[1]);
  });

  it('continues identically from a saved state', () => {
    const a = new CyclicTaskSampler(tasks, 2);
    for (let i = 0; i < 5; i++) a.nextStep();
    const b = new CyclicTaskSampler(tasks, 2);
    b.setState(a.getState());
    expect(Array.from({ length: 6 }, () => b.nextStep())).toEqual(Array.from({ length: 6 }, () => a.nextStep()));
  });

  it('caps the batch at the task size and rejects empty tasks', () => {
    const s = new CyclicTaskSampler([{ name: 'tiny', size: 2, batchSize: 8 }], 0);
    expect(s.nextBatch(0)).toHaveLength(2);
    expect(() => new CyclicTaskSampler([{ name: 'none', size: 0, batchSize: 1 }], 0)).toThrow(/'none' has no training samples/);
  });
});
