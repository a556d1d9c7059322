/** The cyclic sampler with asymmetric task sets: equal-size tasks, odd sizes with a dropped tail, bad settings. */
import { describe, expect, it } from 'vitest';
import { CyclicTaskSampler } from '../../../../main/engine/train/cyclicSampler';

describe('cyclic sampler, asymmetric cases', () => {
  it('shuffles two tasks of equal size independently (every seed)', () => {
    for (const seed of [0, 1, 2, 3, 4]) {
      const s = new CyclicTaskSampler(
        [
          { name: 'a', size: 12, batchSize: 12 },
          { name: 'b', size: 12, batchSize: 12 },
        ],
        seed,
      );
      const [a, b] = s.nextStep();
      expect(new Set(a)).toEqual(new Set(b));
      expect(a, `seed ${seed}`).not.toEqual(b);
    }
  });

  it('different seeds give different orders for the same task', () => {
    const first = (seed: number) => new CyclicTaskSampler([{ name: 'a', size: 12, batchSize: 12 }], seed).nextBatch(0);
    expect(first(1)).not.toEqual(first(2));
  });

  it('drops the incomplete tail: size 5 in batches of 2 gives two disjoint batches per pass, then reshuffles', () => {
    const s = new CyclicTaskSampler([{ name: 'odd', size: 5, batchSize: 2 }], 9);
    expect(s.stepsPerEpoch()).toBe(2);
    const b1 = s.nextBatch(0);
    const b2 = s.nextBatch(0);
    expect(b1).toHaveLength(2);
    expect(b2).toHaveLength(2);
    expect(new Set([...b1, ...b2]).size).toBe(4);
    expect(s.getState()).toEqual([{ pass: 0, cursor: 4 }]);
    expect(s.nextBatch(0)).toHaveLength(2);
    expect(s.getState()).toEqual([{ pass: 1, cursor: 2 }]);
  });

  it('an exact fit uses the last batch of a pass before reshuffling', () => {
    const s = new CyclicTaskSampler([{ name: 'fit', size: 6, batchSize: 3 }], 4);
    const pass = [s.nextBatch(0), s.nextBatch(0)];
    expect(new Set(pass.flat())).toEqual(new Set([0, 1, 2, 3, 4, 5]));
    expect(s.getState()).toEqual([{ pass: 0, cursor: 6 }]);
  });

  it('steps per epoch follow the longest task in batches, with batches capped at the task size', () => {
    const s = new CyclicTaskSampler(
      [
        { name: 'small', size: 3, batchSize: 8 },
        { name: 'long', size: 17, batchSize: 4 },
        { name: 'mid', size: 9, batchSize: 2 },
      ],
      0,
    );
    expect(s.batchSizeOf(0)).toBe(3);
    expect(s.batchSizeOf(1)).toBe(4);
    expect(s.stepsPerEpoch()).toBe(4);
    expect(s.nextStep().map((b) => b.length)).toEqual([3, 4, 2]);
  });

  it('a task of one sample and a batch size of one are valid', () => {
    const s = new CyclicTaskSampler(
      [
        { name: 'single', size: 1, batchSize: 4 },
        { name: 'ones', size: 3, batchSize: 1 },
      ],
      2,
    );
    expect(s.stepsPerEpoch()).toBe(3);
    expect(s.nextStep()).toEqual([[0], [expect.any(Number)]]);
  });

  it('names bad batch sizes and a state of the wrong length', () => {
    for (const batchSize of [0, -2, 1.5]) {
      expect(() => new CyclicTaskSampler([{ name: 'bad', size: 4, batchSize }], 0)).toThrow(new RegExp(`task 'bad': batch size must be a positive integer, got ${batchSize}`));
    }
    const s = new CyclicTaskSampler([{ name: 'a', size: 4, batchSize: 2 }], 0);
    expect(() => s.setState([])).toThrow(/sampler state has 0 tasks, the run 1/);
    // a restored state is a copy: changing the caller's object later does not move the sampler
    const state = [{ pass: 2, cursor: 2 }];
    s.setState(state);
    state[0]!.cursor = 0;
    expect(s.getState()).toEqual([{ pass: 2, cursor: 2 }]);
    const got = s.getState();
    got[0]!.pass = 9;
    expect(s.getState()[0]!.pass).toBe(2);
  });
});
