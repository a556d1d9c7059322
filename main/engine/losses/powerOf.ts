import * as tf from '@tensorflow/tfjs-core';

/** x^gamma for x >= 0; gamma = 2 as a square (Pow and its gradient are slow on wasm) */
export function powerOf(x: tf.Tensor, gamma: number): tf.Tensor {
  // Stryker disable next-line ConditionalExpression: equivalent, the fast paths give what tf.pow gives (they exist for speed)
  if (gamma === 2) return tf.square(x);
  // Stryker disable next-line ConditionalExpression: equivalent, as above
  if (gamma === 1) return x;
  return tf.pow(x, gamma);
}
