/**
 * Segmentation: (soft Dice + focal) / ln(C), over softmax class scores.
 * Dice is computed per class over the whole batch and averaged over classes
 * (smoothing 1 keeps absent classes at a Dice of ~1 instead of 0/0).
 * Pixels outside the image (outsideImageClass, the letterbox padding) count
 * in neither term.
 */
import * as tf from '@tensorflow/tfjs-core';
import { classNormaliser } from './classNormaliser';
import { powerOf } from './powerOf';
import { outsideImageClass } from '../../../shared/letterbox';

export const segmentationFocalGamma = 2;
const diceSmoothing = 1;

/** masks: B concatenated H*W class-id maps */
export function segmentationLoss(logits: tf.Tensor4D, masks: Uint8Array): tf.Scalar {
  const [B, H, W, C] = logits.shape;
  if (masks.length !== B * H * W) throw new Error(`segmentation loss: masks hold ${masks.length} pixels, expected ${B}x${H}x${W}`);
  let padded = false;
  // Stryker disable next-line EqualityOperator: equivalent, masks[length] is undefined and undefined >= C is false
  for (let i = 0; i < masks.length; i++) {
    if (masks[i] === outsideImageClass) {
      padded = true;
      continue;
    }
    if (masks[i]! >= C) throw new Error(`segmentation loss: mask value ${masks[i]} at pixel ${i} is not a class id below ${C}`);
  }
  return tf.tidy(() => {
    const ids = tf.tensor3d(Int32Array.from(masks, (v) => (v === outsideImageClass ? 0 : v)), [B, H, W], 'int32');
    // an outside pixel's one-hot row is all zeros, so it adds to no term
    const inImage = padded ? tf.expandDims(tf.tensor3d(Float32Array.from(masks, (v) => (v === outsideImageClass ? 0 : 1)), [B, H, W]), -1) : null;
    const oneHot = inImage ? tf.mul(tf.oneHot(ids, C), inImage) : tf.oneHot(ids, C);
    const logProbs = tf.logSoftmax(logits);
    const allProbs = tf.exp(logProbs);
    const probs = inImage ? tf.mul(allProbs, inImage) : allProbs;
    const focalWeight = powerOf(tf.sub(1, allProbs), segmentationFocalGamma);
    // the mean over every pixel, as before letterboxing and as the PyTorch trainer takes it: padding adds zero
    const focal = tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.mul(focalWeight, logProbs)), -1)));
    const intersection = tf.sum(tf.mul(probs, oneHot), [0, 1, 2]);
    const cardinality = tf.add(tf.sum(probs, [0, 1, 2]), tf.sum(oneHot, [0, 1, 2]));
    const dice = tf.div(tf.add(tf.mul(intersection, 2), diceSmoothing), tf.add(cardinality, diceSmoothing));
    const diceLoss = tf.sub(1, tf.mean(dice));
    return tf.div(tf.add(diceLoss, focal), classNormaliser(C)) as tf.Scalar;
  });
}
