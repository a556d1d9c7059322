import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../../main/engine/backend/initEngine';
import { clipByGlobalNorm, globalNorm } from '../../../../main/engine/train/gradientClipping';

beforeAll(async () => {
  await initEngine({ forced: 'cpu' });
});

const values = (t: tf.Tensor | null): number[] => Array.from(t!.dataSync());

describe('global norm', () => {
  it('is the L2 norm over all tensors together, nulls ignored', () => {
    // 3, 4 and 12: sqrt(9 + 16 + 144) = 13
    expect(globalNorm([tf.tensor1d([3, -4]), null, tf.tensor2d([[12]])])).toBeCloseTo(13, 5);
    expect(globalNorm([null, undefined])).toBe(0);
    expect(globalNorm([])).toBe(0);
  });
});

describe('clipByGlobalNorm', () => {
  it('scales every gradient by the same factor down to the max norm, keeping direction and nulls', () => {
    const a = tf.tensor1d([3, -4]);
    const b = tf.tensor1d([12]);
    const clipped = clipByGlobalNorm([a, null, b], 2.6);
    expect(clipped.norm).toBeCloseTo(13, 5);
    expect(clipped.grads[1]).toBeNull();
    const scale = 2.6 / 13;
    values(clipped.grads[0]!).forEach((v, i) => expect(v).toBeCloseTo([3, -4][i]! * scale, 5));
    expect(values(clipped.grads[2]!)[0]).toBeCloseTo(12 * scale, 5);
    expect(globalNorm(clipped.grads)).toBeCloseTo(2.6, 4);
    // new tensors: the inputs are untouched
    expect(values(a)).toEqual([3, -4]);
  });

  it('lands at or just under the max norm, never over it (small norms, where the 1e-6 guard shows)', () => {
    const clipped = clipByGlobalNorm([tf.tensor1d([6e-4, 8e-4])], 1e-4);
    const norm = globalNorm(clipped.grads);
    expect(norm).toBeLessThanOrEqual(1e-4);
    expect(norm).toBeGreaterThan(0.99e-4);
  });

  it('leaves gradients at or below the max norm exactly as they are', () => {
    const g = tf.tensor1d([3, 4]);
    expect(values(clipByGlobalNorm([g], 5).grads[0]!)).toEqual([3, 4]);
    expect(values(clipByGlobalNorm([g], 50).grads[0]!)).toEqual([3, 4]);
    expect(clipByGlobalNorm([g], 50).norm).toBeCloseTo(5, 6);
    // just above: clipped
    expect(values(clipByGlobalNorm([g], 4.9).grads[0]!)[1]).toBeCloseTo(4 * (4.9 / 5), 5);
  });
});
