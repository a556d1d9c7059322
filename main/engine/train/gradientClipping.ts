import * as tf from '@tensorflow/tfjs-core';

/** global L2 norm of a list of tensors (null entries ignored) */
export function globalNorm(tensors: ReadonlyArray<tf.Tensor | null | undefined>): number {
  const present = tensors.filter((t): t is tf.Tensor => !!t);
  if (!present.length) return 0;
  const sq = tf.tidy(() => tf.addN(present.map((t) => tf.sum(tf.square(t)))));
  const value = sq.dataSync()[0]!;
  sq.dispose();
  return Math.sqrt(value);
}

/**
 * Scales the gradients so their global norm is at most maxNorm. Returns new
 * tensors (the caller disposes both lists) and the norm before clipping.
 */
export function clipByGlobalNorm(grads: ReadonlyArray<tf.Tensor | null | undefined>, maxNorm: number): { grads: Array<tf.Tensor | null>; norm: number } {
  const norm = globalNorm(grads);
  const scale = norm > maxNorm ? maxNorm / (norm + 1e-6) : 1;
  return { grads: grads.map((g) => (g ? tf.mul(g, scale) : null)), norm };
}
