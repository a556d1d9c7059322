import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../../main/engine/backend/initEngine';
import { AdamW } from '../../../../main/engine/train/adamw';

beforeAll(async () => {
  await initEngine({ forced: 'cpu' });
});

/** the AdamW update written out by hand for one scalar */
function handAdamW(p: number, grads: number[], lr: number, wd: number, b1 = 0.9, b2 = 0.999, eps = 1e-8): number {
  let m = 0;
  let v = 0;
  grads.forEach((g, i) => {
    const t = i + 1;
    p = p - lr * wd * p;
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    p = p - (lr * (m / (1 - b1 ** t))) / (Math.sqrt(v / (1 - b2 ** t)) + eps);
  });
  return p;
}

describe('AdamW (decoupled weight decay)', () => {
  it('matches a hand-computed update over three steps', () => {
    const x = tf.variable(tf.tensor1d([2, -1, 0.5]));
    const opt = new AdamW([x], { learningRate: 0.1, weightDecay: 0.01 });
    const grads = [
      [0.5, -0.2, 0],
      [0.3, 0.1, 1],
      [-0.4, 0.0, 2],
    ];
    for (const g of grads) opt.apply([tf.tensor1d(g)]);
    const got = Array.from(x.dataSync());
    [2, -1, 0.5].forEach((p0, i) => expect(got[i]).toBeCloseTo(handAdamW(p0, grads.map((g) => g[i]!), 0.1, 0.01), 5));
    // first step of Adam moves every coordinate with a gradient by ~lr
    expect(handAdamW(2, [0.5], 0.1, 0)).toBeCloseTo(1.9, 5);
  });

  it('decays weights independently of the gradient (unlike L2 in Adam)', () => {
    const x = tf.variable(tf.tensor1d([10]));
    new AdamW([x], { learningRate: 0.1, weightDecay: 0.5 }).apply([tf.tensor1d([0])]);
    // zero gradient: Adam's step is 0, only the decay acts: 10 * (1 - 0.1 * 0.5)
    expect(x.dataSync()[0]).toBeCloseTo(9.5, 5);
  });

  it('skips variables without a gradient and counts steps per variable', () => {
    const a = tf.variable(tf.scalar(1));
    const b = tf.variable(tf.scalar(1));
    const opt = new AdamW([a, b], { learningRate: 0.1, weightDecay: 0.1 });
    opt.apply([tf.scalar(1), null]);
    expect(b.dataSync()[0]).toBe(1);
    expect(opt.getState().steps).toEqual([1, 0]);
  });

  it('restores its state exactly', () => {
    const x = tf.variable(tf.tensor1d([1, 2]));
    const opt = new AdamW([x], { learningRate: 0.05 });
    opt.apply([tf.tensor1d([0.3, -0.3])]);
    const s = opt.getState();
    const saved = { steps: s.steps, m: s.m.map((t) => t.dataSync().slice()), v: s.v.map((t) => t.dataSync().slice()) };
    const y = tf.variable(tf.tensor1d(Array.from(x.dataSync())));
    const other = new AdamW([y], { learningRate: 0.05 });
    other.setState(saved);
    opt.apply([tf.tensor1d([0.1, 0.2])]);
    other.apply([tf.tensor1d([0.1, 0.2])]);
    expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
  });
});
