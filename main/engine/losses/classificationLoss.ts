/**
 * Classification: softmax cross-entropy / ln(C); multi-label: mean binary
 * cross-entropy over the labels / ln 2 (each output is a binary decision).
 */
import * as tf from '@tensorflow/tfjs-core';
import { binaryCrossEntropyWithLogits } from './binaryCrossEntropy';
import { classNormaliser } from './classNormaliser';

export function classificationLoss(logits: tf.Tensor2D, labels: Array<number | number[]>, multiLabel = false): tf.Scalar {
  const [B, C] = logits.shape;
  if (labels.length !== B) throw new Error(`classification loss: ${labels.length} labels for a batch of ${B}`);
  return tf.tidy(() => {
    if (multiLabel) {
      const flat = labels.flatMap((l, i) => {
        if (!Array.isArray(l) || l.length !== C) throw new Error(`classification loss: sample ${i} needs a multi-hot vector of ${C} entries`);
        return l;
      });
      const targets = tf.tensor2d(flat, [B, C]);
      return tf.div(tf.mean(binaryCrossEntropyWithLogits(logits, targets)), classNormaliser(2)) as tf.Scalar;
    }
    const ids = labels.map((l, i) => {
      // Stryker disable next-line ConditionalExpression: equivalent, Number.isInteger is false for anything not a number
      if (typeof l !== 'number' || !Number.isInteger(l) || l < 0 || l >= C) throw new Error(`classification loss: sample ${i} has label ${String(l)}, expected 0..${C - 1}`);
      return l;
    });
    const oneHot = tf.oneHot(tf.tensor1d(ids, 'int32'), C);
    // Stryker disable next-line UnaryOperator: equivalent, axis +1 is axis -1 of the rank-2 logits
    const nll = tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), -1));
    return tf.div(tf.mean(nll), classNormaliser(C)) as tf.Scalar;
  });
}
