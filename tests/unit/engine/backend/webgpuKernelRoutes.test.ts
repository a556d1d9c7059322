/**
 * Which route the rewritten webgpu kernels take (webgpuKernelFixes.ts): the
 * speed rewrites give the same numbers as the backend's own kernels, so only
 * their routes tell whether they work. Each rule is checked at its bounds as
 * a pure function, then on the adapter by the shader programs a call runs,
 * with asymmetric inputs compared against cpu where a wrong route could also
 * give wrong numbers (NCHW, strides, bias and activations on the folded
 * convolution). Skips, saying why, where no WebGPU adapter exists.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { initEngine } from '../../../../main/engine/backend/initEngine';
import { addNChunk, channelsToPad, foldsOverBatch, reducesAsSlices, smallReduction, tinyMapConv } from '../../../../main/engine/backend/webgpuKernelFixes';
import { maxRelativeError, seededValues } from './kernelHarness';
import { compareWithCpu, programsRun, type ProgramRun } from './webgpuHarness';

const tolerance = 1e-4;
let unavailable: string | null = null;

beforeAll(async () => {
  const init = await initEngine({ forced: 'webgpu' });
  if (init.backend !== 'webgpu') {
    // the mutation run sets this where a driver exists: there a broken registration must fail, not skip
    if (process.env.UMEDPT_WEBGPU_REQUIRED === '1') throw new Error(`webgpu required but not started: ${init.reason}`);
    unavailable = `no WebGPU adapter here: ${init.reason}`;
    console.log(`webgpu kernel route tests skipped: ${unavailable}`);
    return;
  }
  // tfjs hands small inputs to its cpu kernels; the routes under test are the GPU's
  tf.env().set('WEBGPU_CPU_FORWARD', false);
  tf.env().set('WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD', 0);
}, 120_000);

function needWebgpu(ctx: TestContext): void {
  if (unavailable) ctx.skip(unavailable);
}

const names = (runs: ProgramRun[]): string[] => runs.map((r) => r.name);

/** a tensor of seeded values on the current backend */
const seeded = (shape: number[], seed: number): tf.Tensor => tf.tensor(seededValues(shape.reduce((a, b) => a * b, 1), seed), shape);

/** f on cpu and on webgpu from the same seeded inputs: the worst error of the values (forward only) */
async function forwardAgainstCpu(shapes: number[][], f: (...xs: tf.Tensor[]) => tf.Tensor): Promise<number> {
  const on = async (backend: string): Promise<{ values: Float32Array; shape: number[] }> => {
    await tf.setBackend(backend);
    const xs = shapes.map((s, i) => seeded(s, 40 + i));
    const y = f(...xs);
    const out = { values: (await y.data()) as Float32Array, shape: y.shape };
    tf.dispose([y, ...xs]);
    return out;
  };
  const cpu = await on('cpu');
  const gpu = await on('webgpu');
  expect(gpu.shape).toEqual(cpu.shape);
  return maxRelativeError(gpu.values, cpu.values);
}

describe('the rules, at their bounds', () => {
  it('a reduction runs as slices for 2 to 8 values per output over at least 256 outputs', () => {
    expect(smallReduction).toEqual({ maxValues: 8, minOutputs: 256 });
    expect(reducesAsSlices([256, 2], [1])).toBe(true);
    expect(reducesAsSlices([256, 8], [1])).toBe(true);
    expect(reducesAsSlices([256, 1], [1])).toBe(false);
    expect(reducesAsSlices([256, 9], [1])).toBe(false);
    expect(reducesAsSlices([255, 8], [1])).toBe(false);
    expect(reducesAsSlices([256, 4], [])).toBe(false);
    // several axes, not innermost: 2 x 3 = 6 values per output
    expect(reducesAsSlices([2, 256, 3], [0, 2])).toBe(true);
    expect(reducesAsSlices([2, 255, 3], [0, 2])).toBe(false);
    expect(reducesAsSlices([2, 256, 5], [0, 2])).toBe(false);
  });

  it('input channels are padded to a multiple of 4 when neither 4 nor 3 divides them and 4 divides the outputs', () => {
    expect(channelsToPad(35, 16)).toBe(1);
    expect(channelsToPad(34, 16)).toBe(2);
    expect(channelsToPad(37, 16)).toBe(3);
    expect(channelsToPad(5, 8)).toBe(3);
    expect(channelsToPad(36, 16)).toBe(0);
    expect(channelsToPad(32, 16)).toBe(0);
    expect(channelsToPad(4, 8)).toBe(0);
    expect(channelsToPad(33, 16)).toBe(0);
    expect(channelsToPad(3, 8)).toBe(0);
    expect(channelsToPad(35, 18)).toBe(0);
    expect(channelsToPad(35, 15)).toBe(0);
  });

  it('a convolution folds over the batch from batch 2, on maps of at most 4 pixels, with more than one tap and no dilation', () => {
    expect(tinyMapConv).toEqual({ maxOutputPixels: 4, minBatch: 2 });
    const base = { batchSize: 2, outHeight: 2, outWidth: 2, filterHeight: 3, filterWidth: 3, dilationHeight: 1, dilationWidth: 1 };
    expect(foldsOverBatch(base)).toBe(true);
    expect(foldsOverBatch({ ...base, outHeight: 4, outWidth: 1 })).toBe(true);
    expect(foldsOverBatch({ ...base, filterHeight: 1, filterWidth: 3 })).toBe(true);
    expect(foldsOverBatch({ ...base, filterHeight: 2, filterWidth: 1 })).toBe(true);
    expect(foldsOverBatch({ ...base, batchSize: 1 })).toBe(false);
    expect(foldsOverBatch({ ...base, outHeight: 1, outWidth: 5 })).toBe(false);
    expect(foldsOverBatch({ ...base, outHeight: 3, outWidth: 2 })).toBe(false);
    expect(foldsOverBatch({ ...base, filterHeight: 1, filterWidth: 1 })).toBe(false);
    expect(foldsOverBatch({ ...base, dilationHeight: 2 })).toBe(false);
    expect(foldsOverBatch({ ...base, dilationWidth: 2 })).toBe(false);
  });
});

describe('small reductions on the adapter', () => {
  it('Sum and Max of 4 values per output run as slices (no reduction shader), int32 and 9 values do not', { timeout: 300_000 }, async (ctx) => {
    needWebgpu(ctx);
    await tf.setBackend('webgpu');
    const x = seeded([1, 16, 16, 4], 1);
    const xi = tf.cast(tf.mul(x, 100), 'int32');
    const x9 = seeded([256, 9], 2);
    const sum = await programsRun(() => tf.sum(x, -1));
    const max = await programsRun(() => tf.max(x, -1));
    const sumInt = await programsRun(() => tf.sum(xi, -1));
    const sum9 = await programsRun(() => tf.sum(x9, -1));
    tf.dispose([x, xi, x9]);
    expect(names(sum)).toContain('SliceProgram');
    expect(names(sum)).not.toContain('ReduceProgram');
    expect(names(max)).toContain('SliceProgram');
    expect(names(max)).not.toContain('ReduceProgram');
    expect(names(sumInt)).toContain('ReduceProgram');
    expect(names(sum9)).toContain('ReduceProgram');
  });

  it(`sums of up to ${addNChunk} slices take one AddN, of more a chain of adds`, { timeout: 300_000 }, async (ctx) => {
    needWebgpu(ctx);
    await tf.setBackend('webgpu');
    const seven = seeded([256, 7], 3);
    const eight = seeded([256, 8], 4);
    const bySeven = await programsRun(() => tf.sum(seven, 1));
    const byEight = await programsRun(() => tf.sum(eight, 1));
    tf.dispose([seven, eight]);
    expect(addNChunk).toBe(7);
    expect(names(bySeven).filter((n) => n.startsWith('AddN'))).toHaveLength(1);
    expect(names(byEight).filter((n) => n.startsWith('AddN'))).toEqual([]);
    expect(names(byEight).filter((n) => n === 'SliceProgram')).toHaveLength(8);
  });

  const cases: Array<{ name: string; shape: number[]; f: (x: tf.Tensor) => tf.Tensor }> = [
    { name: 'a sum of 8 values per output (a chain of adds)', shape: [256, 8], f: (x) => tf.sum(x, 1) },
    { name: 'a sum of 7 values per output, kept', shape: [256, 7], f: (x) => tf.sum(x, 1, true) },
    { name: 'a max over axes 0 and 2, kept', shape: [2, 256, 3], f: (x) => tf.max(x, [0, 2], true) },
    { name: 'a sum over axes 0 and 2', shape: [2, 256, 3], f: (x) => tf.sum(x, [0, 2]) },
    // the other reductions keep the backend's kernels (only Sum and Max run as slices)
    { name: 'a mean of 4 values per output', shape: [256, 4], f: (x) => tf.mean(x, 1) },
    { name: 'a min of 4 values per output', shape: [256, 4], f: (x) => tf.min(x, 1) },
    { name: 'a product of 4 values per output', shape: [256, 4], f: (x) => tf.prod(x, 1) },
  ];
  for (const c of cases) {
    it(`${c.name} matches cpu, shape included`, { timeout: 300_000 }, async (ctx) => {
      needWebgpu(ctx);
      expect(await forwardAgainstCpu([c.shape], c.f)).toBeLessThan(tolerance);
    });
  }

  it('a float32 tensor Cast from int32 (its buffer still i32) sums correctly (the backend kernel after the float-buffer detour, not slices)', { timeout: 300_000 }, async (ctx) => {
    needWebgpu(ctx);
    await tf.setBackend('webgpu');
    const ints = tf.tensor2d(Int32Array.from({ length: 256 * 4 }, (_, i) => (i * 7) % 11), [256, 4], 'int32');
    const relabelled = tf.cast(ints, 'float32');
    const sums = tf.sum(relabelled, 1);
    const dtype = sums.dtype;
    const values = Array.from(await sums.data());
    tf.dispose([ints, relabelled, sums]);
    expect(dtype).toBe('float32');
    expect(values).toEqual(Array.from({ length: 256 }, (_, r) => [0, 1, 2, 3].reduce((s, c) => s + ((r * 4 + c) * 7) % 11, 0)));
  });
});

describe('convolutions on the adapter', () => {
  it('a 35-channel conv runs vec4 shaders for the fused forward and for the input gradient', { timeout: 300_000 }, async (ctx) => {
    needWebgpu(ctx);
    await tf.setBackend('webgpu');
    const x = tf.ones([2, 24, 24, 35]) as tf.Tensor4D;
    const w = tf.ones([3, 3, 35, 16]) as tf.Tensor4D;
    const b = tf.ones([16]) as tf.Tensor1D;
    const fused = await programsRun(() => tf.fused.conv2d({ x, filter: w, strides: 1, pad: 'same', bias: b, activation: 'relu' }));
    const inputGradient = await programsRun(() => tf.grad((input: tf.Tensor) => tf.conv2d(input as tf.Tensor4D, w, 1, 'same'))(x));
    tf.dispose([x, w, b]);
    expect(fused.filter((r) => r.isVec4 !== undefined).length).toBeGreaterThan(0);
    expect(fused.filter((r) => r.isVec4 === false)).toEqual([]);
    const backprop = inputGradient.filter((r) => r.name.startsWith('Conv2DDerInput'));
    expect(backprop.length).toBeGreaterThan(0);
    expect(backprop.filter((r) => r.isVec4 !== true)).toEqual([]);
  });

  it('a 35-channel conv in NCHW matches cpu, forward and both gradients (no channel padding on the wrong axis)', { timeout: 300_000 }, async (ctx) => {
    needWebgpu(ctx);
    const worst = await compareWithCpu(
      [
        { shape: [2, 35, 6, 5], seed: 30 },
        { shape: [3, 3, 35, 8], seed: 31 },
      ],
      (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same', 'NCHW'),
    );
    expect(worst).toBeLessThan(tolerance);
  });

  it('Conv2D and FusedConv2D fold a batch of tiny maps into slices (one per tap), a concat and one matmul; batch 1 and 3x3 maps do not', { timeout: 300_000 }, async (ctx) => {
    needWebgpu(ctx);
    await tf.setBackend('webgpu');
    const tiny = tf.ones([2, 2, 2, 8]) as tf.Tensor4D;
    const single = tf.ones([1, 2, 2, 8]) as tf.Tensor4D;
    const small = tf.ones([2, 3, 3, 8]) as tf.Tensor4D;
    const w = tf.ones([3, 3, 8, 8]) as tf.Tensor4D;
    const b = tf.ones([8]) as tf.Tensor1D;
    const plain = await programsRun(() => tf.conv2d(tiny, w, 1, 'same'));
    const fused = await programsRun(() => tf.fused.conv2d({ x: tiny, filter: w, strides: 1, pad: 'same', bias: b, activation: 'relu' }));
    const batchOne = await programsRun(() => tf.conv2d(single, w, 1, 'same'));
    const ninePixels = await programsRun(() => tf.conv2d(small, w, 1, 'same'));
    tf.dispose([tiny, single, small, w, b]);
    for (const runs of [plain, fused]) {
      expect(names(runs).filter((n) => n === 'SliceProgram')).toHaveLength(9);
      expect(names(runs)).toContain('ConcatProgram');
      expect(names(runs).some((n) => n.startsWith('MatMul'))).toBe(true);
      expect(names(runs).some((n) => n.startsWith('Conv2D') || n.startsWith('Im2Col'))).toBe(false);
    }
    for (const runs of [batchOne, ninePixels]) expect(names(runs)).not.toContain('ConcatProgram');
  });

  const folded: Array<{ name: string; shapes: number[][]; f: (...t: tf.Tensor[]) => tf.Tensor }> = [
    { name: '3x3 stride 2 on a 4x4 input (2x2 map), batch 2', shapes: [[2, 4, 4, 5], [3, 3, 5, 8]], f: (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same') },
    { name: '3x3 stride 2 on a 3x4 input (2x2 map), batch 3, bias', shapes: [[3, 3, 4, 5], [3, 3, 5, 8], [8]], f: (x, w, b) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 2, pad: 'same', bias: b }) },
    { name: '2x3 filter on a 1x3 map, batch 2, bias and relu', shapes: [[2, 1, 3, 6], [2, 3, 6, 4], [4]], f: (x, w, b) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 1, pad: 'same', bias: b, activation: 'relu' }) },
    { name: 'leaky relu (alpha 0.3) without bias, batch 2, 2x2 map', shapes: [[2, 2, 2, 6], [3, 3, 6, 4]], f: (x, w) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 1, pad: 'same', activation: 'leakyrelu', leakyreluAlpha: 0.3 }) },
    { name: 'prelu with its weights, batch 2, 2x2 map', shapes: [[2, 2, 2, 6], [3, 3, 6, 4], [4], [4]], f: (x, w, b, alpha) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 1, pad: 'same', bias: b, activation: 'prelu', preluActivationWeights: alpha }) },
    { name: 'a 2x2 map in NCHW, batch 2', shapes: [[2, 6, 2, 2], [3, 3, 6, 4]], f: (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same', 'NCHW') },
    // 2 channels of 2x2 in NCHW: read as NHWC it would also look like a batch of tiny maps
    { name: 'a 2x2 map of 2 channels in NCHW, batch 2', shapes: [[2, 2, 2, 2], [3, 3, 2, 4]], f: (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same', 'NCHW') },
  ];
  for (const c of folded) {
    it(`${c.name} matches cpu`, { timeout: 300_000 }, async (ctx) => {
      needWebgpu(ctx);
      expect(await forwardAgainstCpu(c.shapes, c.f)).toBeLessThan(tolerance);
    });
  }
});
