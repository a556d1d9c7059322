/**
 * The kernels webgpuKernelFixes.ts wraps on webgpu, op by op against values
 * worked out by hand: int32 inputs (and float32 ones relabelled by a Cast from
 * int32) through Transpose and the reductions, non-square shapes and axes that
 * are not innermost (where the reductions transpose inside), AddN over more
 * inputs than one WebGPU call may bind. Runs on any WebGPU adapter, SwiftShader
 * included (forced); skips, saying why, where none exists.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { initEngine } from '../../../../main/engine/backend/initEngine';
import { addNChunk, registerWebgpuKernelFixes, webgpuFixedKernelNames } from '../../../../main/engine/backend/webgpuKernelFixes';

let unavailable: string | null = null;

beforeAll(async () => {
  const init = await initEngine({ forced: 'webgpu' });
  if (init.backend !== 'webgpu') {
    // the mutation run sets this where a driver exists: there a registration that breaks the backend must fail, not skip
    if (process.env.UMEDPT_WEBGPU_REQUIRED === '1') throw new Error(`webgpu required but not started: ${init.reason}`);
    unavailable = `no WebGPU adapter here: ${init.reason}`;
    console.log(`webgpu kernel-fix tests skipped: ${unavailable}`);
    return;
  }
  // tfjs hands small inputs to its cpu kernels; these tests are about the GPU's, so every size goes there
  tf.env().set('WEBGPU_CPU_FORWARD', false);
  tf.env().set('WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD', 0);
}, 120_000);

function needWebgpu(ctx: TestContext): void {
  if (unavailable) ctx.skip(unavailable);
}

/** the values and dtype of a result, read asynchronously (webgpu in Node has no synchronous read), then freed */
async function read(t: tf.Tensor): Promise<{ dtype: string; shape: number[]; values: number[] }> {
  const values = Array.from(await t.data()).map(Number);
  const out = { dtype: t.dtype, shape: t.shape, values };
  t.dispose();
  return out;
}

/** a 2 x 3 x 4 int32 tensor of distinct values: 0, 1, ..., 23 times 3 minus 7 */
const int3d = (): tf.Tensor3D => tf.tensor3d(Array.from({ length: 24 }, (_, i) => i * 3 - 7), [2, 3, 4], 'int32');

describe('webgpu kernel fixes', () => {
  it('transposes int32 and Cast-relabelled tensors correctly, keeping each dtype', async (ctx) => {
    needWebgpu(ctx);
    const m = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32');
    expect(await read(tf.transpose(m))).toEqual({ dtype: 'int32', shape: [3, 2], values: [1, 4, 2, 5, 3, 6] });
    // perm [2, 0, 1] of a 2 x 3 x 4 tensor: out[k][i][j] = x[i][j][k]
    const expected = [0, 1, 2, 3].flatMap((k) => [0, 1].flatMap((i) => [0, 1, 2].map((j) => (i * 12 + j * 4 + k) * 3 - 7)));
    expect(await read(tf.transpose(int3d(), [2, 0, 1]))).toEqual({ dtype: 'int32', shape: [4, 2, 3], values: expected });
    // Cast int32 -> float32 only relabels the buffer: still transposed right, and float32 comes back
    expect(await read(tf.transpose(tf.cast(m, 'float32')))).toEqual({ dtype: 'float32', shape: [3, 2], values: [1, 4, 2, 5, 3, 6] });
    // a float32 tensor of its own goes through the backend's kernel unchanged
    expect(await read(tf.transpose(tf.tensor2d([0.5, -1.25, 2, 8], [2, 2])))).toEqual({ dtype: 'float32', shape: [2, 2], values: [0.5, 2, -1.25, 8] });
  });

  it('sums an int32 mask over axes that are not innermost, as the segmentation loss does, in int32', async (ctx) => {
    needWebgpu(ctx);
    // a one-hot mask, batch 2, 2 x 3 pixels, 3 classes: class counts 5, 4, 3
    const classes = [0, 1, 2, 0, 0, 1, 2, 1, 0, 0, 2, 1];
    const oneHot = tf.reshape(tf.oneHot(tf.tensor1d(classes, 'int32'), 3), [2, 2, 3, 3]);
    expect(await read(tf.sum(oneHot, [0, 1, 2]))).toEqual({ dtype: 'int32', shape: [3], values: [5, 4, 3] });
    expect(await read(tf.sum(int3d(), 0))).toEqual({ dtype: 'int32', shape: [3, 4], values: Array.from({ length: 12 }, (_, i) => i * 3 - 7 + (i + 12) * 3 - 7) });
    // the Cast-relabelled float32 sum stays float32
    expect(await read(tf.sum(tf.cast(oneHot, 'float32'), [0, 1, 2]))).toEqual({ dtype: 'float32', shape: [3], values: [5, 4, 3] });
  });

  it('takes max, min and product of int32 over the outer axis in int32, and the mean in float32 with its fraction', async (ctx) => {
    needWebgpu(ctx);
    const x = () => tf.tensor2d([3, -8, 5, 2, 7, -1, 4, 6, -2], [3, 3], 'int32');
    expect(await read(tf.max(x(), 0))).toEqual({ dtype: 'int32', shape: [3], values: [4, 7, 5] });
    expect(await read(tf.min(x(), 0))).toEqual({ dtype: 'int32', shape: [3], values: [2, -8, -2] });
    expect(await read(tf.prod(x(), 0))).toEqual({ dtype: 'int32', shape: [3], values: [24, -336, 10] });
    // (3 + 2 + 4) / 3 = 3, (-8 + 7 + 6) / 3 = 5/3, (5 - 1 - 2) / 3 = 2/3: not integers, so no cast back
    const mean = await read(tf.mean(x(), 0));
    expect(mean.dtype).toBe('float32');
    [3, 5 / 3, 2 / 3].forEach((v, i) => expect(mean.values[i]).toBeCloseTo(v, 5));
  });

  it('finds arg max and arg min of int32 over the outer axis', async (ctx) => {
    needWebgpu(ctx);
    const x = () => tf.tensor2d([3, -8, 5, 2, 7, -1, 4, 6, -2], [3, 3], 'int32');
    expect(await read(tf.argMax(x(), 0))).toEqual({ dtype: 'int32', shape: [3], values: [2, 1, 0] });
    expect(await read(tf.argMin(x(), 0))).toEqual({ dtype: 'int32', shape: [3], values: [1, 0, 2] });
  });

  it('adds any number of tensors, in chunks of at most the binding limit, each exactly once', async (ctx) => {
    needWebgpu(ctx);
    expect(addNChunk).toBe(7);
    // powers of two: a term dropped or added twice changes the sum's bits
    for (const count of [2, addNChunk, addNChunk + 1, 2 * addNChunk, 2 * addNChunk + 1, addNChunk * addNChunk + 2]) {
      const terms = Array.from({ length: count }, (_, i) => tf.tensor1d([2 ** (i % 20), -(2 ** (i % 20)) * 3]));
      const expected = terms.reduce((s, _, i) => s + 2 ** (i % 20), 0);
      expect(await read(tf.addN(terms)), `${count} terms`).toEqual({ dtype: 'float32', shape: [2], values: [expected, -3 * expected] });
      tf.dispose(terms);
    }
  });

  it('leaves no tensor behind in the wrapped kernels', async (ctx) => {
    needWebgpu(ctx);
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32');
    const terms = Array.from({ length: 17 }, (_, i) => tf.scalar(i));
    const before = tf.memory().numTensors;
    const results = [tf.transpose(x), tf.sum(x, 0), tf.mean(x, 0), tf.max(x, 0), tf.addN(terms)];
    expect(tf.memory().numTensors).toBe(before + results.length);
    expect(await read(results[4]!)).toMatchObject({ values: [136] });
    tf.dispose([...results, x, ...terms]);
  });

  it('reduces bool tensors (All, Any) with the backend kernels as they are, bool in and bool out', async (ctx) => {
    needWebgpu(ctx);
    const b = () => tf.tensor2d([true, false, true, true, true, false], [2, 3], 'bool');
    expect(await read(tf.all(b(), 0))).toEqual({ dtype: 'bool', shape: [3], values: [1, 0, 0] });
    expect(await read(tf.any(b(), 0))).toEqual({ dtype: 'bool', shape: [3], values: [1, 1, 1] });
    expect(await read(tf.all(b(), 1))).toEqual({ dtype: 'bool', shape: [2], values: [0, 0] });
  });

  it('registers its kernels once: a second call wraps nothing again', (ctx) => {
    needWebgpu(ctx);
    const current = () => webgpuFixedKernelNames.map((name) => tf.getKernel(name, 'webgpu')?.kernelFunc);
    const before = current();
    registerWebgpuKernelFixes();
    expect(current()).toEqual(before);
    for (const fn of before) expect(fn).toBeDefined();
  });

  it('wraps only the kernels it names', () => {
    expect(webgpuFixedKernelNames).toEqual(['AddN', 'Transpose', 'Sum', 'Max', 'Min', 'Prod', 'Mean', 'ArgMax', 'ArgMin', 'All', 'Any']);
  });
});
