import { describe, expect, it } from 'vitest';
import { learningRateAt } from '../../../../main/engine/train/schedules';

describe('learning-rate schedules', () => {
  it('constant by default', () => {
    expect(learningRateAt(1e-4, undefined, 1000)).toBe(1e-4);
  });
  it('cosine goes from the base rate to the minimum', () => {
    const s = { kind: 'cosine' as const, totalSteps: 100, minLr: 0.1 };
    expect(learningRateAt(1, s, 0)).toBeCloseTo(1);
    expect(learningRateAt(1, s, 50)).toBeCloseTo(0.55);
    expect(learningRateAt(1, s, 100)).toBeCloseTo(0.1);
    expect(learningRateAt(1, s, 500)).toBeCloseTo(0.1);
  });
  it('poly decays to zero with power 0.9', () => {
    const s = { kind: 'poly' as const, totalSteps: 10 };
    expect(learningRateAt(1, s, 5)).toBeCloseTo(0.5 ** 0.9);
    expect(learningRateAt(1, s, 10)).toBe(0);
  });
  it('step multiplies by gamma every stepSize steps', () => {
    const s = { kind: 'step' as const, stepSize: 10, gamma: 0.5 };
    expect([0, 9, 10, 25].map((i) => learningRateAt(1, s, i))).toEqual([1, 1, 0.5, 0.25]);
  });
  it('warms up linearly', () => {
    const s = { kind: 'constant' as const, warmupSteps: 4 };
    expect([0, 1, 3, 4].map((i) => learningRateAt(1, s, i))).toEqual([0.25, 0.5, 1, 1]);
  });
});
