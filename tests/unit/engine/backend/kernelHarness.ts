/**
 * Test helpers: run one kernel on a named backend from plain arrays, and
 * compare two results with the error measure documented in docs/engine.md.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface HostTensor {
  values: Float32Array | Int32Array;
  shape: number[];
  dtype?: 'float32' | 'int32';
}

/** Deterministic values in [-1, 1) from a small LCG (no backend involved). */
export function seededValues(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 31 - 1;
  }
  return out;
}

export function hostTensor(shape: number[], seed: number): HostTensor {
  return { values: seededValues(shape.reduce((a, b) => a * b, 1), seed), shape };
}

export async function runKernelOn(backend: string, kernelName: string, inputs: Record<string, HostTensor>, attrs: Record<string, unknown>): Promise<HostTensor> {
  await tf.setBackend(backend);
  const tensors = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, tf.tensor(v.values, v.shape, v.dtype ?? 'float32')]));
  try {
    const out = tf.engine().runKernel(kernelName, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
    const values = out.dataSync() as Float32Array;
    const result = { values: values.slice(), shape: out.shape };
    out.dispose();
    return result;
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/**
 * max|a - b| / max(1, max|b|): absolute error for results of magnitude up to
 * 1, relative to the largest reference value beyond that. Sums over many
 * products (filter gradients) reach magnitudes of hundreds, where float32
 * rounding alone is ~1e-7 of the magnitude, so a per-element relative error
 * would flag harmless cancellation near zero.
 */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} vs ${expected.length}`);
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const b = expected[i] as number;
    if (!Number.isFinite(a)) return Infinity;
    maxDiff = Math.max(maxDiff, Math.abs(a - b));
    maxRef = Math.max(maxRef, Math.abs(b));
  }
  return maxDiff / Math.max(1, maxRef);
}

/** A filter with zeros inserted between taps: conv with it at dilation 1 equals conv with `filter` at dilation d. */
export function dilateFilter(filter: HostTensor, d: number): HostTensor {
  const [kh, kw, ci, co] = filter.shape as [number, number, number, number];
  const eh = (kh - 1) * d + 1;
  const ew = (kw - 1) * d + 1;
  const out = new Float32Array(eh * ew * ci * co);
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++)
      for (let c = 0; c < ci * co; c++) out[((i * d) * ew + j * d) * ci * co + c] = filter.values[(i * kw + j) * ci * co + c] as number;
  return { values: out, shape: [eh, ew, ci, co] };
}

/** The taps at multiples of d of a gradient computed for the dilated filter. */
export function undilateFilter(grad: HostTensor, d: number, kh: number, kw: number): HostTensor {
  const [, ew, ci, co] = grad.shape as [number, number, number, number];
  const out = new Float32Array(kh * kw * ci * co);
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++)
      for (let c = 0; c < ci * co; c++) out[(i * kw + j) * ci * co + c] = grad.values[((i * d) * ew + j * d) * ci * co + c] as number;
  return { values: out, shape: [kh, kw, ci, co] };
}
