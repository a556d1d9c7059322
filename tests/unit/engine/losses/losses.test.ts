import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../../main/engine/backend/initEngine';
import { classNormaliser } from '../../../../main/engine/losses/classNormaliser';
import { classificationLoss } from '../../../../main/engine/losses/classificationLoss';
import { detectionLoss, giouLoss, sigmoidFocalLoss } from '../../../../main/engine/losses/detectionLoss';
import { segmentationLoss } from '../../../../main/engine/losses/segmentationLoss';
import { outsideImageClass } from '../../../../shared/letterbox';
import { assignFcosTargets } from '../../../../main/engine/model/fcosTargets';

beforeAll(async () => {
  await initEngine({ forced: 'cpu' });
});

const value = (t: tf.Tensor): number => t.dataSync()[0]!;

describe('class normaliser', () => {
  it('is ln C, and ln 2 for binary and single-class tasks', () => {
    expect(classNormaliser(4)).toBeCloseTo(Math.log(4));
    expect(classNormaliser(2)).toBeCloseTo(Math.log(2));
    expect(classNormaliser(1)).toBeCloseTo(Math.log(2));
  });
});

describe('classification loss', () => {
  it('is 1 for uniform logits whatever C (cross-entropy / ln C)', () => {
    for (const C of [2, 3, 10]) expect(value(classificationLoss(tf.zeros([4, C]) as tf.Tensor2D, [0, 1, 1, 0]))).toBeCloseTo(1, 5);
  });

  it('matches a hand-computed cross-entropy', () => {
    const logits = tf.tensor2d([[2, 0, -1]]);
    const p = Math.exp(0) / (Math.exp(2) + Math.exp(0) + Math.exp(-1));
    expect(value(classificationLoss(logits, [1]))).toBeCloseTo(-Math.log(p) / Math.log(3), 5);
  });

  it('uses binary cross-entropy / ln 2 for multi-label tasks', () => {
    const logits = tf.tensor2d([[0, 3]]);
    const expected = (Math.log(2) + Math.log(1 + Math.exp(-3))) / 2 / Math.log(2);
    expect(value(classificationLoss(logits, [[1, 1]], true))).toBeCloseTo(expected, 5);
  });

  it('names a bad label', () => {
    expect(() => classificationLoss(tf.zeros([1, 3]) as tf.Tensor2D, [3])).toThrow(/sample 0 has label 3/);
  });
});

describe('segmentation loss', () => {
  it('is near 0 for a confident correct prediction and large for a wrong one', () => {
    const mask = Uint8Array.from([0, 1, 1, 2]);
    const oneHot = Array.from(mask).flatMap((c) => [0, 1, 2].map((k) => (k === c ? 20 : -20)));
    const right = tf.tensor4d(oneHot, [1, 2, 2, 3]);
    const wrong = tf.tensor4d(oneHot.map((v) => -v), [1, 2, 2, 3]);
    expect(value(segmentationLoss(right, mask))).toBeLessThan(1e-3);
    expect(value(segmentationLoss(wrong, mask))).toBeGreaterThan(0.5);
  });

  it('is (Dice + focal) / ln C for uniform logits', () => {
    const mask = Uint8Array.from([0, 1, 0, 1]);
    const C = 2;
    // p = 0.5 everywhere: focal = 0.25 * ln 2; Dice per class = (2 * 1 + 1) / (2 + 2 + 1) = 0.6
    const expected = (1 - 0.6 + 0.25 * Math.log(2)) / Math.log(C);
    expect(value(segmentationLoss(tf.zeros([1, 2, 2, C]) as tf.Tensor4D, mask))).toBeCloseTo(expected, 5);
  });
});

describe('segmentation loss over a letterboxed input', () => {
  it('ignores pixels outside the image whatever the model predicts there', () => {
    const C = 2;
    const inside = Uint8Array.from([0, 1, 0, 1]);
    const padded = Uint8Array.from([0, 1, 0, 1, outsideImageClass, outsideImageClass, outsideImageClass, outsideImageClass]);
    const logitsInside = [3, -1, -2, 2, 1, 0, 0, 1];
    const loss = (border: number[]) => value(segmentationLoss(tf.tensor4d([...logitsInside, ...border], [1, 2, 4, C]), padded));
    // the padding's predictions change nothing
    expect(loss([9, -9, 9, -9, -9, 9, -9, 9])).toBeCloseTo(loss([0, 0, 0, 0, 0, 0, 0, 0]), 6);
    // Dice is that of the image alone; the focal term is its sum over every pixel's mean, the padding adding zero
    const alone = tf.tensor4d(logitsInside, [1, 1, 4, C]);
    const probs = tf.softmax(alone).dataSync();
    const focalSum = Array.from(inside).reduce((s, c, i) => s - (1 - probs[i * C + c]!) ** 2 * Math.log(probs[i * C + c]!), 0);
    const dice = [0, 1].map((k) => {
      let inter = 0;
      let card = 0;
      inside.forEach((c, i) => {
        inter += c === k ? probs[i * C + k]! : 0;
        card += probs[i * C + k]! + (c === k ? 1 : 0);
      });
      return (2 * inter + 1) / (card + 1);
    });
    expect(loss([0, 0, 0, 0, 0, 0, 0, 0])).toBeCloseTo((1 - (dice[0]! + dice[1]!) / 2 + focalSum / 8) / Math.log(C), 5);
  });
});

describe('detection loss', () => {
  it('focal loss matches its formula (gamma 2, alpha 0.25)', () => {
    const x = 0.7;
    const p = 1 / (1 + Math.exp(-x));
    const pos = value(sigmoidFocalLoss(tf.scalar(x), tf.scalar(1)));
    const neg = value(sigmoidFocalLoss(tf.scalar(x), tf.scalar(0)));
    expect(pos).toBeCloseTo(0.25 * (1 - p) ** 2 * -Math.log(p), 5);
    expect(neg).toBeCloseTo(0.75 * p ** 2 * -Math.log(1 - p), 5);
  });

  it('GIoU loss is 0 for equal boxes, 1 - IoU for nested ones, above 1 for disjoint ones', () => {
    const loss = (a: number[], b: number[]): number => value(giouLoss(tf.tensor1d(a), tf.tensor1d(b)));
    expect(loss([2, 2, 2, 2], [2, 2, 2, 2])).toBeCloseTo(0, 5);
    expect(loss([1, 1, 1, 1], [2, 2, 2, 2])).toBeCloseTo(1 - 4 / 16, 5);
    // two boxes through the same point overlap at least there: thin, crossing boxes give IoU near 0
    expect(loss([0.1, 1, 4, 1], [4, 1, 0.1, 1])).toBeGreaterThan(0.9);
  });

  it('falls when predictions move towards the FCOS targets', () => {
    const levels = [{ stride: 8, size: 4 }];
    const targets = [assignFcosTargets([{ x: 4, y: 4, w: 16, h: 16, classId: 0 }], levels)];
    const N = 16;
    const far = { classLogits: tf.fill([1, N, 2], -4.6) as tf.Tensor3D, boxDistances: tf.fill([1, N, 4], 30) as tf.Tensor3D, centernessLogits: tf.zeros([1, N]) as tf.Tensor2D };
    const cls = new Float32Array(N * 2).fill(-6);
    const box = new Float32Array(N * 4).fill(1);
    targets[0]!.labels.forEach((l, n) => {
      if (l < 0) return;
      cls[n * 2 + l] = 4;
      box.set(targets[0]!.distances.subarray(n * 4, n * 4 + 4), n * 4);
    });
    const near = { classLogits: tf.tensor3d(cls, [1, N, 2]), boxDistances: tf.tensor3d(box, [1, N, 4]), centernessLogits: tf.zeros([1, N]) as tf.Tensor2D };
    const lossFar = value(detectionLoss(far, targets, 2));
    const lossNear = value(detectionLoss(near, targets, 2));
    expect(targets[0]!.numPositive).toBeGreaterThan(0);
    expect(lossNear).toBeLessThan(lossFar);
    // a perfect box leaves only the focal and centerness terms
    expect(lossNear).toBeLessThan(0.2);
  });

  it('stays finite on an image without boxes', () => {
    const levels = [{ stride: 8, size: 2 }];
    const targets = [assignFcosTargets([], levels)];
    const pred = { classLogits: tf.zeros([1, 4, 3]) as tf.Tensor3D, boxDistances: tf.ones([1, 4, 4]) as tf.Tensor3D, centernessLogits: tf.zeros([1, 4]) as tf.Tensor2D };
    const l = value(detectionLoss(pred, targets, 3));
    expect(Number.isFinite(l)).toBe(true);
    expect(l).toBeGreaterThan(0);
  });
});
