/**
 * Finds the kernels a computation needs that a backend does not register.
 *
 * The computation runs once under tf.profile on a reference backend that
 * has every kernel (cpu), which records each kernel the engine dispatches,
 * forward and backward (when `fn` computes gradients, e.g. with
 * tf.variableGrads). The names are then checked against the target's
 * registry, so ALL gaps show up in one pass instead of one error at a time.
 * Kernels that backends implement by calling other kernels directly (below
 * the engine) are invisible here, which is right: only the dispatched one
 * must exist on the target.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface KernelUsage {
  /** every kernel the computation dispatched, sorted */
  used: string[];
  /** those not registered for the target backend, sorted */
  missing: string[];
}

/** Kernel names of `used` that `backendName` lacks. */
export function unregisteredKernels(used: Iterable<string>, backendName: string): string[] {
  return [...new Set(used)].filter((name) => tf.getKernel(name, backendName) === undefined).sort();
}

/**
 * Runs `fn` on `referenceBackend` (switching back afterwards) and reports
 * the kernels it used and which of them `targetBackend` is missing.
 * Tensors `fn` returns are disposed.
 */
export async function findMissingKernels(fn: () => tf.TensorContainer | void, targetBackend = 'wasm', referenceBackend = 'cpu'): Promise<KernelUsage> {
  const previous = tf.getBackend();
  if (previous !== referenceBackend && !(await tf.setBackend(referenceBackend))) {
    throw new Error(`findMissingKernels: reference backend '${referenceBackend}' could not be initialised`);
  }
  try {
    const profile = await tf.profile(() => tf.tidy(() => fn()) as tf.TensorContainer);
    tf.dispose(profile.result as tf.TensorContainer);
    // Op-level entries (customGrad ops such as 'fusedConv2d__op') are not
    // kernels; every real kernel ran on the reference, so it is registered there.
    const used = [...new Set(profile.kernels.map((k) => k.name))].filter((name) => tf.getKernel(name, referenceBackend) !== undefined).sort();
    return { used, missing: unregisteredKernels(used, targetBackend) };
  } finally {
    if (previous && previous !== referenceBackend) await tf.setBackend(previous);
  }
}
