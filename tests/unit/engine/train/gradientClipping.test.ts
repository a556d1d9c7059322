import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../../main/engine/backend/initEngine';
import { clipByGlobalNorm, clipByGlobalNormOnDevice, globalNorm } from '../../../../main/engine/train/gradientClipping';

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

/** the clipping a decoupled step uses: the norm stays on the device, no readback */
describe('clipByGlobalNormOnDevice', () => {
  it('above the max norm scales every gradient by exactly maxNorm / (norm + 1e-6), keeping nulls in place', () => {
    // three tensors of different shapes: 3, -4 | 12 | 0, 84 -> sqrt(9 + 16 + 144 + 7056) = 85
    const a = tf.tensor1d([3, -4]);
    const b = tf.tensor2d([[12]]);
    const c = tf.tensor1d([0, 84]);
    const clipped = clipByGlobalNormOnDevice([a, null, b, undefined, c], 17);
    expect(clipped).toHaveLength(5);
    expect(clipped[1]).toBeNull();
    expect(clipped[3]).toBeNull();
    const scale = 17 / (85 + 1e-6);
    values(clipped[0]!).forEach((v, i) => expect(v).toBeCloseTo([3, -4][i]! * scale, 6));
    expect(clipped[2]!.shape).toEqual([1, 1]);
    expect(values(clipped[2]!)[0]).toBeCloseTo(12 * scale, 6);
    values(clipped[4]!).forEach((v, i) => expect(v).toBeCloseTo([0, 84][i]! * scale, 5));
    expect(globalNorm(clipped)).toBeCloseTo(17, 4);
    // new tensors: the inputs are untouched
    expect(values(a)).toEqual([3, -4]);
    expect(values(c)).toEqual([0, 84]);
  });

  it('at or below the max norm returns the gradients unchanged, bit for bit', () => {
    // norm 13, exact in float32 (sqrt(9 + 16 + 144)): below and exactly at the clip, then just above it
    const g = [tf.tensor1d([3, -4]), tf.tensor1d([12])];
    for (const maxNorm of [50, 13]) {
      const out = clipByGlobalNormOnDevice(g, maxNorm);
      expect(values(out[0]!), `maxNorm ${maxNorm}`).toEqual(values(g[0]!));
      expect(values(out[1]!), `maxNorm ${maxNorm}`).toEqual(values(g[1]!));
    }
    expect(values(clipByGlobalNormOnDevice(g, 12.9)[1]!)[0]).toBeCloseTo(12 * (12.9 / 13), 5);
  });

  it('agrees with the clipping that reads the norm back, above and below the clip', () => {
    const g = [tf.tensor2d([[0.5, -1.5], [2, 0.25]]), null, tf.tensor1d([-3])];
    for (const maxNorm of [0.01, 1, 3.9, 100]) {
      const onDevice = clipByGlobalNormOnDevice(g, maxNorm);
      const readBack = clipByGlobalNorm(g, maxNorm).grads;
      onDevice.forEach((t, i) => (t ? values(t).forEach((v, j) => expect(v).toBeCloseTo(values(readBack[i]!)[j]!, 6)) : expect(readBack[i]).toBeNull()));
    }
  });

  it('with no gradient at all returns one null per entry, and frees its scale', () => {
    expect(clipByGlobalNormOnDevice([null, undefined, null], 1)).toStrictEqual([null, null, null]);
    expect(clipByGlobalNormOnDevice([], 1)).toStrictEqual([]);
    const g = [tf.tensor1d([30, 40]), null];
    const before = tf.memory().numTensors;
    const out = clipByGlobalNormOnDevice(g, 5);
    // one new tensor per gradient, nothing else left over
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose(out.filter((t): t is tf.Tensor => !!t));
    expect(tf.memory().numTensors).toBe(before);
  });
});
