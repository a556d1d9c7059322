/**
 * Test helpers for the webgpu kernels: a function's value and gradients on
 * webgpu against cpu, and the shader programs a call runs (to check which
 * route a rewritten kernel took).
 */
import { expect } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { maxRelativeError, seededValues } from './kernelHarness';

export interface Inputs {
  shape: number[];
  seed: number;
}

export interface Outcome {
  value: Float32Array;
  grads: Float32Array[];
}

/**
 * f's value and its gradient with respect to every input, on one backend.
 * The inputs are made on that backend from the same seeded values.
 */
export async function valueAndGrads(backend: string, inputs: Inputs[], f: (...xs: tf.Tensor[]) => tf.Tensor): Promise<Outcome> {
  await tf.setBackend(backend);
  const xs = inputs.map((i) => tf.tensor(seededValues(i.shape.reduce((a, b) => a * b, 1), i.seed), i.shape));
  try {
    const value = f(...xs);
    const grads = tf.grads((...ys: tf.Tensor[]) => tf.sum(tf.mul(f(...ys), tf.tensor(seededValues(value.size, 99), value.shape))))(xs);
    const out = { value: (await value.data()) as Float32Array, grads: (await Promise.all(grads.map((g) => g.data()))) as Float32Array[] };
    tf.dispose([value, ...grads]);
    return out;
  } finally {
    tf.dispose(xs);
  }
}

/** worst error of value and gradients, webgpu against cpu */
export async function compareWithCpu(inputs: Inputs[], f: (...xs: tf.Tensor[]) => tf.Tensor): Promise<number> {
  const cpu = await valueAndGrads('cpu', inputs, f);
  const gpu = await valueAndGrads('webgpu', inputs, f);
  expect(gpu.value.length).toBe(cpu.value.length);
  expect(cpu.grads.some((g) => g.some((v) => v !== 0))).toBe(true);
  return Math.max(maxRelativeError(gpu.value, cpu.value), ...gpu.grads.map((g, i) => maxRelativeError(g, cpu.grads[i]!)));
}

export interface ProgramRun {
  name: string;
  isVec4?: boolean;
}

/** the webgpu shader programs `f` dispatches (its result is read, then freed) */
export async function programsRun(f: () => tf.Tensor): Promise<ProgramRun[]> {
  const backend = tf.backend() as unknown as { runWebGPUProgram: (program: { constructor: { name: string }; isVec4?: boolean }, ...rest: unknown[]) => unknown };
  const original = backend.runWebGPUProgram;
  const runs: ProgramRun[] = [];
  backend.runWebGPUProgram = function (program, ...rest) {
    runs.push({ name: program.constructor.name, ...(program.isVec4 !== undefined ? { isVec4: program.isVec4 } : {}) });
    return original.call(this, program, ...rest);
  };
  try {
    const y = f();
    await y.data();
    y.dispose();
  } finally {
    backend.runWebGPUProgram = original;
  }
  return runs;
}
