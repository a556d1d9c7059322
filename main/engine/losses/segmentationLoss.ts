/**
 * Segmentation: (soft Dice + focal) / ln(C), over softmax class scores.
 * Dice is computed per class over the whole batch and averaged over classes
 * (smoothing 1 keeps absent classes at a Dice of ~1 instead of 0/0).
 */
import * as tf from '@tensorflow/tfjs-core';
import { classNormaliser } from './classNormaliser';
import { powerOf } from './powerOf';

export const segmentationFocalGamma = 2;
const diceSmoothing = 1;

/** masks: B concatenated H*W class-id maps */
export function segmentationLoss(logits: tf.Tensor4D, masks: Uint8Array): tf.Scalar {
  const [B, H, W, C] = logits.shape;
  if (masks.length !== B * H * W) throw new Error(`segmentation loss: masks hold ${masks.length} pixels, expected ${B}x${H}x${W}`);
  // Stryker disable next-line EqualityOperator: equivalent, masks[length] is undefined and undefined >= C is false
  for (let i = 0; i < masks.length; i++) {
    if (masks[i]! >= C) throw new Error(`segmentation loss: mask value ${masks[i]} at pixel ${i} is not a class id below ${C}`);
  }
  return tf.tidy(() => {
    const oneHot = tf.oneHot(tf.tensor3d(Int32Array.from(masks), [B, H, W], 'int32'), C);
    const logProbs = tf.logSoftmax(logits);
    const probs = tf.exp(logProbs);
    const focalWeight = powerOf(tf.sub(1, probs), segmentationFocalGamma);
    const focal = tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.mul(focalWeight, logProbs)), -1)));
    const intersection = tf.sum(tf.mul(probs, oneHot), [0, 1, 2]);
    const cardinality = tf.add(tf.sum(probs, [0, 1, 2]), tf.sum(oneHot, [0, 1, 2]));
    const dice = tf.div(tf.add(tf.mul(intersection, 2), diceSmoothing), tf.add(cardinality, diceSmoothing));
    const diceLoss = tf.sub(1, tf.mean(dice));
    return tf.div(tf.add(diceLoss, focal), classNormaliser(C)) as tf.Scalar;
  });
}
