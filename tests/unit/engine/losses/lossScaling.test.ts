/**
 * The losses against plain-number references of their documented formulas,
 * on asymmetric inputs: C > 2, uneven and absent classes, non-square masks,
 * batches of two with different positives, hand-built FCOS targets.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../../main/engine/backend/initEngine';
import { binaryCrossEntropyWithLogits } from '../../../../main/engine/losses/binaryCrossEntropy';
import { classificationLoss } from '../../../../main/engine/losses/classificationLoss';
import { centernessWeight, detectionLoss, focalAlpha, focalGamma, giouLoss, sigmoidFocalLoss } from '../../../../main/engine/losses/detectionLoss';
import { powerOf } from '../../../../main/engine/losses/powerOf';
import { segmentationLoss } from '../../../../main/engine/losses/segmentationLoss';
import type { FcosTargets } from '../../../../main/engine/model/fcosTargets';

beforeAll(async () => {
  await initEngine({ forced: 'cpu' });
});

const value = (t: tf.Tensor): number => t.dataSync()[0]!;
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const bce = (x: number, z: number): number => -(z * Math.log(sigmoid(x)) + (1 - z) * Math.log(1 - sigmoid(x)));
/** deterministic, uneven logits in about [-2, 2] */
const logitsOf = (n: number, seed: number): number[] => Array.from({ length: n }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233) * 2);

/** (1 - mean_k Dice_k + mean_pixels focal) / ln C, Dice over the batch with smoothing 1 */
function segmentationReference(logits: number[], mask: number[], C: number): number {
  const pixels = mask.length;
  const inter = new Array<number>(C).fill(0);
  const card = new Array<number>(C).fill(0);
  let focal = 0;
  for (let i = 0; i < pixels; i++) {
    const row = logits.slice(i * C, i * C + C);
    const max = Math.max(...row);
    const exps = row.map((v) => Math.exp(v - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    const probs = exps.map((e) => e / sum);
    const t = mask[i]!;
    focal += -((1 - probs[t]!) ** 2) * Math.log(probs[t]!);
    probs.forEach((p, k) => {
      card[k]! += p + (k === t ? 1 : 0);
      if (k === t) inter[k]! += p;
    });
  }
  const dice = inter.map((v, k) => (2 * v + 1) / (card[k]! + 1));
  const diceLoss = 1 - dice.reduce((a, b) => a + b, 0) / C;
  return (diceLoss + focal / pixels) / Math.log(C);
}

describe('segmentation loss for C > 2', () => {
  it('uniform logits, C = 3 and 4, uneven classes: (Dice + focal) / ln C, not ln(C - 1)', () => {
    for (const C of [3, 4]) {
      // 2 images of 2 x 3 (non-square); class C-1 absent; class 0 three times as common as class 1
      const mask = [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0];
      const got = value(segmentationLoss(tf.zeros([2, 2, 3, C]) as tf.Tensor4D, Uint8Array.from(mask)));
      const expected = segmentationReference(new Array<number>(mask.length * C).fill(0), mask, C);
      expect(got).toBeCloseTo(expected, 5);
      // by hand for the uniform case: focal = (1 - 1/C)^2 ln C; Dice_k = (2 n_k / C + 1) / (N / C + n_k + 1)
      const N = mask.length;
      const counts = Array.from({ length: C }, (_, k) => mask.filter((m) => m === k).length);
      const dice = counts.map((n) => ((2 * n) / C + 1) / (N / C + n + 1));
      const byHand = (1 - dice.reduce((a, b) => a + b, 0) / C + (1 - 1 / C) ** 2 * Math.log(C)) / Math.log(C);
      expect(got).toBeCloseTo(byHand, 5);
    }
  });

  it('uneven logits, C = 3, batch of 2 non-square masks', () => {
    const C = 3;
    const mask = [2, 0, 1, 1, 0, 0, 2, 2, 1, 0, 0, 0];
    const logits = logitsOf(mask.length * C, 3);
    const got = value(segmentationLoss(tf.tensor4d(logits, [2, 2, 3, C]), Uint8Array.from(mask)));
    expect(got).toBeCloseTo(segmentationReference(logits, mask, C), 5);
  });

  it('names a mask value equal to C and a mask of the wrong size', () => {
    expect(() => segmentationLoss(tf.zeros([1, 1, 2, 3]) as tf.Tensor4D, Uint8Array.from([0, 3]))).toThrow(/mask value 3 at pixel 1 is not a class id below 3/);
    expect(() => segmentationLoss(tf.zeros([1, 2, 3, 3]) as tf.Tensor4D, Uint8Array.from([0, 1]))).toThrow(/masks hold 2 pixels, expected 1x2x3/);
  });
});

describe('classification loss', () => {
  it('C = 4, uneven logits, batch of 3: mean cross-entropy / ln 4', () => {
    const rows = [logitsOf(4, 1), logitsOf(4, 2), logitsOf(4, 5)];
    const labels = [3, 0, 2];
    const ce = rows.map((r, i) => Math.log(r.reduce((a, v) => a + Math.exp(v), 0)) - r[labels[i]!]!);
    const expected = ce.reduce((a, b) => a + b, 0) / 3 / Math.log(4);
    expect(value(classificationLoss(tf.tensor2d(rows), labels))).toBeCloseTo(expected, 5);
  });

  it('multi-label with 3 labels divides by ln 2, not ln 3', () => {
    const logits = [
      [1.5, -0.5, 0.2],
      [-2, 0.7, 3],
    ];
    const targets = [
      [1, 0, 0],
      [0, 1, 1],
    ];
    let sum = 0;
    logits.forEach((row, i) => row.forEach((x, j) => (sum += bce(x, targets[i]![j]!))));
    expect(value(classificationLoss(tf.tensor2d(logits), targets, true))).toBeCloseTo(sum / 6 / Math.log(2), 5);
  });

  it('names the problem in bad labels', () => {
    expect(() => classificationLoss(tf.zeros([2, 3]) as tf.Tensor2D, [0])).toThrow(/1 labels for a batch of 2/);
    expect(() => classificationLoss(tf.zeros([1, 3]) as tf.Tensor2D, [-1])).toThrow(/sample 0 has label -1, expected 0..2/);
    expect(() => classificationLoss(tf.zeros([1, 3]) as tf.Tensor2D, [1.5])).toThrow(/label 1.5/);
    expect(() => classificationLoss(tf.zeros([1, 3]) as tf.Tensor2D, [[1, 0]], true)).toThrow(/sample 0 needs a multi-hot vector of 3 entries/);
    expect(() => classificationLoss(tf.zeros([1, 3]) as tf.Tensor2D, [2], true)).toThrow(/multi-hot/);
  });
});

describe('building blocks', () => {
  it('BCE on logits matches -z ln s - (1 - z) ln(1 - s) and stays finite at large |x|', () => {
    const xs = [-3, -0.4, 0, 0.9, 4];
    const zs = [1, 0, 1, 0.3, 0];
    const got = Array.from(binaryCrossEntropyWithLogits(tf.tensor1d(xs), tf.tensor1d(zs)).dataSync());
    xs.forEach((x, i) => expect(got[i]).toBeCloseTo(bce(x, zs[i]!), 5));
    const far = Array.from(binaryCrossEntropyWithLogits(tf.tensor1d([60, -60]), tf.tensor1d([0, 1])).dataSync());
    expect(far[0]).toBeCloseTo(60, 3);
    expect(far[1]).toBeCloseTo(60, 3);
  });

  it('powerOf: square, identity and a general power', () => {
    const x = tf.tensor1d([0.5, 2]);
    expect(Array.from(powerOf(x, 2).dataSync())).toEqual([0.25, 4]);
    expect(Array.from(powerOf(x, 1).dataSync())).toEqual([0.5, 2]);
    const cube = Array.from(powerOf(x, 3).dataSync());
    expect(cube[0]).toBeCloseTo(0.125, 6);
    expect(cube[1]).toBeCloseTo(8, 5);
  });

  it('focal loss with other gamma and alpha, and a soft target', () => {
    const x = -0.8;
    const p = sigmoid(x);
    expect(value(sigmoidFocalLoss(tf.scalar(x), tf.scalar(1), 1, 0.4))).toBeCloseTo(0.4 * (1 - p) * bce(x, 1), 5);
    expect(value(sigmoidFocalLoss(tf.scalar(x), tf.scalar(0), 3, 0.4))).toBeCloseTo(0.6 * p ** 3 * bce(x, 0), 5);
    expect([focalGamma, focalAlpha, centernessWeight]).toEqual([2, 0.25, 0.2]);
  });

  it('GIoU of partly overlapping boxes with different sides', () => {
    // pred l,t,r,b = 1,2,3,1 -> box [-1,-2]..[3,1] (4 x 3); target 2,1,1,3 -> [-2,-1]..[1,3] (3 x 4)
    // intersection [-1,-1]..[1,1] = 2 x 2 = 4; union 12 + 12 - 4 = 20; enclosing [-2,-2]..[3,3] = 25
    const giou = 4 / 20 - (25 - 20) / 25;
    expect(value(giouLoss(tf.tensor1d([1, 2, 3, 1]), tf.tensor1d([2, 1, 1, 3])))).toBeCloseTo(1 - giou, 5);
    expect(value(giouLoss(tf.tensor1d([2, 1, 1, 3]), tf.tensor1d([1, 2, 3, 1])))).toBeCloseTo(1 - giou, 5);
  });
});

/** Hand-built FCOS targets: labels per location (-1 background), distances, centerness. */
function targets(labels: number[], distances: number[][], centerness: number[]): FcosTargets {
  return {
    labels: Int32Array.from(labels),
    distances: Float32Array.from(distances.flat()),
    centerness: Float32Array.from(centerness),
    numPositive: labels.filter((l) => l >= 0).length,
  };
}

describe('detection loss', () => {
  it('no positives: the focal sum over every output / ln C (C = 3 and 5)', () => {
    for (const C of [3, 5]) {
      const N = 4;
      const t = targets([-1, -1, -1, -1], [[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]], [0, 0, 0, 0]);
      const pred = { classLogits: tf.zeros([2, N, C]) as tf.Tensor3D, boxDistances: tf.ones([2, N, 4]) as tf.Tensor3D, centernessLogits: tf.zeros([2, N]) as tf.Tensor2D };
      // every output is a negative at p = 0.5: 0.75 * 0.25 * ln 2
      const expected = (2 * N * C * 0.75 * 0.25 * Math.log(2)) / Math.log(C);
      expect(value(detectionLoss(pred, [t, t], C))).toBeCloseTo(expected, 4);
    }
  });

  it('positives in both images of a batch: focal / (positives ln C) + weighted GIoU + 0.2 centerness BCE / positives', () => {
    const C = 3;
    const N = 3;
    const a = targets([2, -1, 0], [[2, 1, 1, 3], [1, 1, 1, 1], [1, 1, 2, 2]], [0.5, 0, 1]);
    const b = targets([-1, 1, -1], [[1, 1, 1, 1], [3, 1, 1, 1], [1, 1, 1, 1]], [0, 0.25, 0]);
    const cls = logitsOf(2 * N * C, 7);
    const box = [[1, 2, 3, 1], [1, 1, 1, 1], [1, 1, 2, 2], [1, 1, 1, 1], [2, 2, 1, 1], [1, 1, 1, 1]];
    const ctr = logitsOf(2 * N, 11);
    const pred = { classLogits: tf.tensor3d(cls, [2, N, C]), boxDistances: tf.tensor3d(box.flat(), [2, N, 4]), centernessLogits: tf.tensor2d(ctr, [2, N]) };
    const all = [a, b];
    let focal = 0;
    let boxSum = 0;
    let weightSum = 0;
    let ctrSum = 0;
    all.forEach((t, bi) => {
      for (let n = 0; n < N; n++) {
        for (let k = 0; k < C; k++) {
          const x = cls[(bi * N + n) * C + k]!;
          const z = t.labels[n] === k ? 1 : 0;
          const p = sigmoid(x);
          const pt = z ? p : 1 - p;
          focal += (z ? 0.25 : 0.75) * (1 - pt) ** 2 * bce(x, z);
        }
        if (t.labels[n]! < 0) continue;
        const w = t.centerness[n]!;
        const giou = value(giouLoss(tf.tensor1d(box[bi * N + n]!), tf.tensor1d(Array.from(t.distances.subarray(n * 4, n * 4 + 4)))));
        boxSum += w * giou;
        weightSum += w;
        ctrSum += bce(ctr[bi * N + n]!, w);
      }
    });
    const positives = 3;
    const expected = focal / (positives * Math.log(C)) + boxSum / (weightSum + 1e-6) + (0.2 * ctrSum) / positives;
    expect(value(detectionLoss(pred, all, C))).toBeCloseTo(expected, 4);
  });

  it('names mismatched targets', () => {
    const t = targets([-1, 0], [[1, 1, 1, 1], [1, 1, 1, 1]], [0, 1]);
    const pred = { classLogits: tf.zeros([1, 2, 2]) as tf.Tensor3D, boxDistances: tf.ones([1, 2, 4]) as tf.Tensor3D, centernessLogits: tf.zeros([1, 2]) as tf.Tensor2D };
    expect(() => detectionLoss(pred, [t, t], 2)).toThrow(/2 target sets for a batch of 1/);
    expect(() => detectionLoss(pred, [t], 3)).toThrow(/2 class outputs for 3 classes/);
    expect(() => detectionLoss(pred, [targets([-1], [[1, 1, 1, 1]], [0])], 2)).toThrow(/targets have 1 locations, the model 2/);
    expect(() => detectionLoss(pred, [targets([-1, 2], [[1, 1, 1, 1], [1, 1, 1, 1]], [0, 1])], 2)).toThrow(/box class 2 is not below 2/);
  });
});
