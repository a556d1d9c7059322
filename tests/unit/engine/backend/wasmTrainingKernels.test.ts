/**
 * The kernels registered for wasm must agree with the cpu backend's (the
 * reference implementation in tfjs) over the whole matrix the engine can
 * meet: strides 1/2, padding same/valid, dilation 1/2, odd sizes, batch 1/4,
 * channels 1/3/16. Max relative error (kernelHarness.maxRelativeError) < 1e-4.
 *
 * tfjs's cpu backprop kernels ignore dilation (tfjs's own gradients refuse
 * dilation > 1), so for dilation 2 the reference is the cpu kernel at
 * dilation 1 with the zero-dilated filter, which is the same convolution.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '../../../../main/engine/backend/initEngine';
import { registerWasmTrainingKernels, wasmTrainingKernelNames } from '../../../../main/engine/backend/wasmTrainingKernels';
import { dilateFilter, hostTensor, maxRelativeError, runKernelOn, undilateFilter, type HostTensor } from './kernelHarness';

const tolerance = 1e-4;
const H = 9;
const W = 7;
type Pad = 'same' | 'valid';

interface Case {
  stride: number;
  pad: Pad;
  dilation: number;
  batch: number;
  channels: number;
}

const cases: Case[] = [];
for (const stride of [1, 2])
  for (const pad of ['same', 'valid'] as const)
    for (const dilation of [1, 2])
      for (const batch of [1, 4])
        for (const channels of [1, 3, 16]) cases.push({ stride, pad, dilation, batch, channels });

const label = (c: Case): string => `s${c.stride} ${c.pad} d${c.dilation} n${c.batch} c${c.channels}`;

function outShape(c: Case, filter: [number, number, number, number], depthwise: boolean): [number, number, number, number] {
  const info = tf.backend_util.computeConv2DInfo([c.batch, H, W, c.channels], filter, c.stride, c.dilation, c.pad, undefined, depthwise);
  return info.outShape;
}

const worstError = new Map<string, number>();

async function compare(kernel: string, inputs: Record<string, HostTensor>, attrs: Record<string, unknown>, reference: () => Promise<HostTensor>): Promise<number> {
  const actual = await runKernelOn('wasm', kernel, inputs, attrs);
  const expected = await reference();
  expect(actual.shape).toEqual(expected.shape);
  const err = maxRelativeError(actual.values, expected.values);
  worstError.set(kernel, Math.max(worstError.get(kernel) ?? 0, err));
  return err;
}

afterAll(() => {
  console.log(`worst relative error per kernel: ${[...worstError].map(([k, e]) => `${k} ${e.toExponential(1)}`).join(', ')}`);
});

beforeAll(async () => {
  // The default configuration: the threaded build on two XNNPACK threads.
  const init = await initEngine({ forced: 'wasm', threads: 2 });
  expect(init.backend).toBe('wasm');
  expect(init.reason).toContain('2 threads');
});

describe('wasm training kernels', () => {
  it('registers every kernel it claims, idempotently', () => {
    registerWasmTrainingKernels();
    registerWasmTrainingKernels();
    for (const name of wasmTrainingKernelNames) expect(tf.getKernel(name, 'wasm'), name).toBeDefined();
  });

  it.each(cases)('Conv2DBackpropFilter matches cpu: %s', async (c) => {
    const cout = c.channels === 16 ? 8 : c.channels + 1;
    const filterShape: [number, number, number, number] = [3, 3, c.channels, cout];
    const x = hostTensor([c.batch, H, W, c.channels], 1);
    const dy = hostTensor(outShape(c, filterShape, false), 2);
    const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', dilations: c.dilation, filterShape };
    const err = await compare('Conv2DBackpropFilter', { x, dy }, attrs, async () => {
      if (c.dilation === 1) return runKernelOn('cpu', 'Conv2DBackpropFilter', { x, dy }, attrs);
      const dilatedShape = dilateFilter(hostTensor(filterShape, 0), c.dilation).shape;
      const grad = await runKernelOn('cpu', 'Conv2DBackpropFilter', { x, dy }, { ...attrs, dilations: 1, filterShape: dilatedShape });
      return undilateFilter(grad, c.dilation, 3, 3);
    });
    expect(err, label(c)).toBeLessThan(tolerance);
  });

  it.each(cases)('Conv2DBackpropInput matches cpu: %s', async (c) => {
    const cout = c.channels === 16 ? 8 : c.channels + 1;
    const filter = hostTensor([3, 3, c.channels, cout], 3);
    const dy = hostTensor(outShape(c, filter.shape as [number, number, number, number], false), 4);
    const inputShape = [c.batch, H, W, c.channels];
    const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', dilations: c.dilation, inputShape };
    const err = await compare('Conv2DBackpropInput', { dy, filter }, attrs, () =>
      runKernelOn('cpu', 'Conv2DBackpropInput', { dy, filter: dilateFilter(filter, c.dilation) }, { ...attrs, dilations: 1 }),
    );
    expect(err, label(c)).toBeLessThan(tolerance);
  });

  it.each(cases)('DepthwiseConv2dNativeBackpropFilter matches cpu: %s', async (c) => {
    const multiplier = c.channels === 3 ? 2 : 1;
    const filterShape: [number, number, number, number] = [3, 3, c.channels, multiplier];
    const x = hostTensor([c.batch, H, W, c.channels], 5);
    const dy = hostTensor(outShape(c, filterShape, true), 6);
    const attrs = { strides: c.stride, pad: c.pad, dilations: c.dilation, filterShape };
    const err = await compare('DepthwiseConv2dNativeBackpropFilter', { x, dy }, attrs, async () => {
      if (c.dilation === 1) return runKernelOn('cpu', 'DepthwiseConv2dNativeBackpropFilter', { x, dy }, attrs);
      const dilatedShape = dilateFilter(hostTensor(filterShape, 0), c.dilation).shape;
      const grad = await runKernelOn('cpu', 'DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...attrs, dilations: 1, filterShape: dilatedShape });
      return undilateFilter(grad, c.dilation, 3, 3);
    });
    expect(err, label(c)).toBeLessThan(tolerance);
  });

  it.each(cases)('DepthwiseConv2dNativeBackpropInput matches cpu: %s', async (c) => {
    const multiplier = c.channels === 3 ? 2 : 1;
    const filter = hostTensor([3, 3, c.channels, multiplier], 7);
    const dy = hostTensor(outShape(c, filter.shape as [number, number, number, number], true), 8);
    const inputShape = [c.batch, H, W, c.channels];
    const attrs = { strides: c.stride, pad: c.pad, dilations: c.dilation, inputShape };
    const err = await compare('DepthwiseConv2dNativeBackpropInput', { dy, filter }, attrs, () =>
      runKernelOn('cpu', 'DepthwiseConv2dNativeBackpropInput', { dy, filter: dilateFilter(filter, c.dilation) }, { ...attrs, dilations: 1 }),
    );
    expect(err, label(c)).toBeLessThan(tolerance);
  });

  it('handles the ConvNeXt 7x7 depthwise and the 4x4/stride-4 patchify stem', async () => {
    const x = hostTensor([2, 16, 16, 8], 9);
    const dw = hostTensor([7, 7, 8, 1], 10);
    const dy = hostTensor([2, 16, 16, 8], 11);
    const dwAttrs = { strides: 1, pad: 'same', dilations: 1 };
    for (const [kernel, inputs, attrs] of [
      ['DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...dwAttrs, filterShape: [7, 7, 8, 1] }],
      ['DepthwiseConv2dNativeBackpropInput', { dy, filter: dw }, { ...dwAttrs, inputShape: [2, 16, 16, 8] }],
    ] as const) {
      const err = await compare(kernel, inputs, attrs, () => runKernelOn('cpu', kernel, inputs, attrs));
      expect(err, kernel).toBeLessThan(tolerance);
    }
    const img = hostTensor([2, 16, 16, 3], 12);
    const stem = hostTensor([4, 4, 3, 8], 13);
    const stemDy = hostTensor([2, 4, 4, 8], 14);
    const stemAttrs = { strides: 4, pad: 'valid', dataFormat: 'NHWC' };
    for (const [kernel, inputs, attrs] of [
      ['Conv2DBackpropFilter', { x: img, dy: stemDy }, { ...stemAttrs, filterShape: [4, 4, 3, 8] }],
      ['Conv2DBackpropInput', { dy: stemDy, filter: stem }, { ...stemAttrs, inputShape: [2, 16, 16, 3] }],
    ] as const) {
      const err = await compare(kernel, inputs, attrs, () => runKernelOn('cpu', kernel, inputs, attrs));
      expect(err, kernel).toBeLessThan(tolerance);
    }
  });

  it('UnsortedSegmentSum matches cpu, dropping out-of-range ids, for float and int, 1-D and 2-D ids', async () => {
    const runs: Array<[Record<string, HostTensor>, number]> = [
      [{ x: hostTensor([6, 4], 15), segmentIds: { values: Int32Array.from([0, 2, 2, 1, 0, 5]), shape: [6], dtype: 'int32' } }, 4],
      [{ x: hostTensor([2, 3, 5], 16), segmentIds: { values: Int32Array.from([1, 0, 1, 2, 2, 0]), shape: [2, 3], dtype: 'int32' } }, 3],
      [{ x: { values: Int32Array.from([1, 2, 3, 4, 5, 6]), shape: [6], dtype: 'int32' }, segmentIds: { values: Int32Array.from([0, 1, 0, 1, 0, 1]), shape: [6], dtype: 'int32' } }, 2],
    ];
    for (const [inputs, numSegments] of runs) {
      const actual = await runKernelOn('wasm', 'UnsortedSegmentSum', inputs, { numSegments });
      // cpu supports only 1-D ids: the reference flattens the id dimensions.
      const ids = inputs.segmentIds!;
      const x = inputs.x!;
      const flat = { x: { ...x, shape: [ids.values.length, ...x.shape.slice(ids.shape.length)] }, segmentIds: { ...ids, shape: [ids.values.length] } };
      const expected = await runKernelOn('cpu', 'UnsortedSegmentSum', flat, { numSegments });
      expect(actual.shape).toEqual(expected.shape);
      expect(maxRelativeError(actual.values, expected.values)).toBeLessThan(1e-6);
    }
  });

  it('frees every intermediate: no tensor or wasm buffer survives a kernel call', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor(hostTensor([2, 9, 7, 3], 17).values, [2, 9, 7, 3]);
    const f = tf.tensor(hostTensor([3, 3, 3, 1], 18).values, [3, 3, 3, 1]);
    const g = tf.tensor(hostTensor([3, 3, 3, 4], 19).values, [3, 3, 3, 4]);
    const loss = (...[a, b, c]: tf.Tensor[]): tf.Tensor =>
      tf.sum(tf.conv2d(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'), c as tf.Tensor4D, 1, 'same'));
    tf.dispose(tf.grads(loss)([x, f, g]));
    const before = { tensors: tf.memory().numTensors, buffers: tf.engine().backend.numDataIds() };
    for (let i = 0; i < 3; i++) tf.dispose(tf.grads(loss)([x, f, g]));
    expect(tf.memory().numTensors).toBe(before.tensors);
    expect(tf.engine().backend.numDataIds()).toBe(before.buffers);
    tf.dispose([x, f, g]);
  });
});
