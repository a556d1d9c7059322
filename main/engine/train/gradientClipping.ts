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

/**
 * The same clipping with the norm kept on the device (no readback, so GPU
 * backends need not wait in the middle of a step). Returns new tensors.
 */
export function clipByGlobalNormOnDevice(grads: ReadonlyArray<tf.Tensor | null | undefined>, maxNorm: number): Array<tf.Tensor | null> {
  const present = grads.filter((t): t is tf.Tensor => !!t);
  if (!present.length) return grads.map(() => null);
  const scale = tf.tidy(() => {
    const norm = tf.sqrt(tf.addN(present.map((t) => tf.sum(tf.square(t)))));
    return tf.where(tf.greater(norm, maxNorm), tf.div(maxNorm, tf.add(norm, 1e-6)), tf.onesLike(norm));
  });
  const out = grads.map((g) => (g ? tf.mul(g, scale) : null));
  scale.dispose();
  return out;
}
