import * as tf from '@tensorflow/tfjs-core';

/**
 * Element-wise BCE on logits, in the stable form
 * max(x, 0) - x z + log(1 + exp(-|x|)) (no log of a saturated sigmoid).
 */
export function binaryCrossEntropyWithLogits(logits: tf.Tensor, targets: tf.Tensor): tf.Tensor {
  return tf.tidy(() =>
    tf.add(tf.sub(tf.relu(logits), tf.mul(logits, targets)), tf.log(tf.add(1, tf.exp(tf.neg(tf.abs(logits)))))),
  );
}
