/**
 * FCOS detection loss: sigmoid focal loss (gamma 2, alpha 0.25) over all
 * locations / ln(C), + GIoU box loss over positives (weighted by the
 * centerness targets, as FCOS does), + 0.2 x centerness BCE over positives.
 * Sums are normalised by the number of positives of the batch (at least 1).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { FcosTargets } from '../model/fcosTargets';
import { binaryCrossEntropyWithLogits } from './binaryCrossEntropy';
import { classNormaliser } from './classNormaliser';
import { powerOf } from './powerOf';

export const focalGamma = 2;
export const focalAlpha = 0.25;
export const centernessWeight = 0.2;

export interface DetectionPrediction {
  classLogits: tf.Tensor3D;
  boxDistances: tf.Tensor3D;
  centernessLogits: tf.Tensor2D;
}

export function sigmoidFocalLoss(logits: tf.Tensor, targets: tf.Tensor, gamma = focalGamma, alpha = focalAlpha): tf.Tensor {
  return tf.tidy(() => {
    const p = tf.sigmoid(logits);
    const ce = binaryCrossEntropyWithLogits(logits, targets);
    const pt = tf.add(tf.mul(p, targets), tf.mul(tf.sub(1, p), tf.sub(1, targets)));
    const alphaT = tf.add(tf.mul(targets, alpha), tf.mul(tf.sub(1, targets), 1 - alpha));
    return tf.mul(tf.mul(alphaT, powerOf(tf.sub(1, pt), gamma)), ce);
  });
}

/** 1 - GIoU of two boxes given as l, t, r, b distances from the same point ([..., 4]) */
export function giouLoss(pred: tf.Tensor, target: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [pl, pt, pr, pb] = tf.unstack(pred, -1);
    const [tl, tt, tr, tb] = tf.unstack(target, -1);
    const predArea = tf.mul(tf.add(pl!, pr!), tf.add(pt!, pb!));
    const targetArea = tf.mul(tf.add(tl!, tr!), tf.add(tt!, tb!));
    const interW = tf.add(tf.minimum(pl!, tl!), tf.minimum(pr!, tr!));
    const interH = tf.add(tf.minimum(pt!, tt!), tf.minimum(pb!, tb!));
    const inter = tf.mul(interW, interH);
    const union = tf.sub(tf.add(predArea, targetArea), inter);
    const iou = tf.div(inter, tf.add(union, 1e-7));
    const encW = tf.add(tf.maximum(pl!, tl!), tf.maximum(pr!, tr!));
    const encH = tf.add(tf.maximum(pt!, tt!), tf.maximum(pb!, tb!));
    const enclosing = tf.add(tf.mul(encW, encH), 1e-7);
    const giou = tf.sub(iou, tf.div(tf.sub(enclosing, union), enclosing));
    return tf.sub(1, giou);
  });
}

/** targets: one FcosTargets per image of the batch */
export function detectionLoss(pred: DetectionPrediction, targets: FcosTargets[], numClasses: number): tf.Scalar {
  const [B, N, C] = pred.classLogits.shape;
  if (targets.length !== B) throw new Error(`detection loss: ${targets.length} target sets for a batch of ${B}`);
  if (C !== numClasses) throw new Error(`detection loss: ${C} class outputs for ${numClasses} classes`);
  const classTargets = new Float32Array(B * N * C);
  const distances = new Float32Array(B * N * 4);
  const centerness = new Float32Array(B * N);
  const positive = new Float32Array(B * N);
  let numPositive = 0;
  targets.forEach((t, b) => {
    if (t.labels.length !== N) throw new Error(`detection loss: targets have ${t.labels.length} locations, the model ${N}`);
    distances.set(t.distances, b * N * 4);
    centerness.set(t.centerness, b * N);
    for (let n = 0; n < N; n++) {
      const label = t.labels[n]!;
      if (label < 0) continue;
      if (label >= C) throw new Error(`detection loss: box class ${label} is not below ${C}`);
      positive[b * N + n] = 1;
      classTargets[(b * N + n) * C + label] = 1;
    }
    numPositive += t.numPositive;
  });
  const normaliser = Math.max(1, numPositive);
  return tf.tidy(() => {
    const focal = tf.div(tf.sum(sigmoidFocalLoss(pred.classLogits, tf.tensor3d(classTargets, [B, N, C]))), normaliser * classNormaliser(C));
    const positiveMask = tf.tensor2d(positive, [B, N]);
    const centernessTargets = tf.tensor2d(centerness, [B, N]);
    const boxWeights = tf.mul(positiveMask, centernessTargets);
    const boxLoss = tf.div(
      tf.sum(tf.mul(boxWeights, giouLoss(pred.boxDistances, tf.tensor3d(distances, [B, N, 4])))),
      tf.add(tf.sum(boxWeights), 1e-6),
    );
    const ctrLoss = tf.div(tf.sum(tf.mul(positiveMask, binaryCrossEntropyWithLogits(pred.centernessLogits, centernessTargets))), normaliser);
    return tf.add(focal, tf.add(boxLoss, tf.mul(ctrLoss, centernessWeight))) as tf.Scalar;
  });
}
