/**
 * The wasm training kernels on asymmetric inputs, against the cpu backend:
 * padding that differs top/bottom and left/right ('same' with an odd total,
 * explicit pads), non-square filters and strides, even and odd sizes; plus
 * the errors they raise on shapes they cannot take.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../../main/engine/backend/initEngine';
import { conv2DBackpropFilterWasm, conv2DBackpropInputWasm, depthwiseBackpropFilterWasm, depthwiseBackpropInputWasm, unsortedSegmentSumWasm, wasmTrainingKernelNames } from '../../../../main/engine/backend/wasmTrainingKernels';
import { dilateFilter, hostTensor, maxRelativeError, runKernelOn, undilateFilter, type HostTensor } from './kernelHarness';

const tolerance = 1e-4;
type Pad = 'same' | 'valid' | number[][];

interface Case {
  name: string;
  h: number;
  w: number;
  kh: number;
  kw: number;
  strides: [number, number];
  pad: Pad;
  dilations: [number, number];
  batch: number;
  channels: number;
}

const cases: Case[] = [
  // 'same', stride 2 on an even height: total padding 1 -> top 0, bottom 1; odd width: 1/1
  { name: 'same s2 even height', h: 8, w: 11, kh: 3, kw: 3, strides: [2, 2], pad: 'same', dilations: [1, 1], batch: 2, channels: 3 },
  // even filter, stride 1: total 3 -> top 1, bottom 2 (and left 1, right 2)
  { name: 'same 4x2 filter', h: 7, w: 6, kh: 4, kw: 2, strides: [1, 1], pad: 'same', dilations: [1, 1], batch: 1, channels: 2 },
  // different strides per axis and a 2x3 filter
  { name: 'same strides 2x1, 2x3 filter', h: 9, w: 8, kh: 2, kw: 3, strides: [2, 1], pad: 'same', dilations: [1, 1], batch: 2, channels: 4 },
  // explicit, lopsided padding
  {
    name: 'explicit pads 2/0 and 0/1',
    h: 6,
    w: 9,
    kh: 3,
    kw: 3,
    strides: [1, 2],
    pad: [
      [0, 0],
      [2, 0],
      [0, 1],
      [0, 0],
    ],
    dilations: [1, 1],
    batch: 1,
    channels: 3,
  },
  // dilation on one axis only, valid padding, a 3x2 filter
  { name: 'valid, dilation 1x2, 3x2 filter', h: 10, w: 7, kh: 3, kw: 2, strides: [1, 1], pad: 'valid', dilations: [1, 2], batch: 2, channels: 2 },
  // dilation 2 with 'same' on an even size: asymmetric effective padding
  { name: 'same, dilation 2x2, even size', h: 8, w: 6, kh: 3, kw: 3, strides: [1, 1], pad: 'same', dilations: [2, 2], batch: 1, channels: 3 },
];

function outShape(c: Case, filter: [number, number, number, number], depthwise: boolean): [number, number, number, number] {
  const pad = Array.isArray(c.pad) ? (c.pad as tf.backend_util.ExplicitPadding) : c.pad;
  return tf.backend_util.computeConv2DInfo([c.batch, c.h, c.w, c.channels], filter, c.strides, c.dilations, pad, undefined, depthwise).outShape;
}

/** A filter dilated on each axis on its own (the harness dilates both axes by one factor). */
function dilate2(filter: HostTensor, [dh, dw]: [number, number]): HostTensor {
  if (dh === dw) return dilateFilter(filter, dh);
  const [kh, kw, ci, co] = filter.shape as [number, number, number, number];
  const eh = (kh - 1) * dh + 1;
  const ew = (kw - 1) * dw + 1;
  const out = new Float32Array(eh * ew * ci * co);
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let k = 0; k < ci * co; k++) out[(i * dh * ew + j * dw) * ci * co + k] = filter.values[(i * kw + j) * ci * co + k]!;
  return { values: out, shape: [eh, ew, ci, co] };
}

function undilate2(grad: HostTensor, [dh, dw]: [number, number], kh: number, kw: number): HostTensor {
  if (dh === dw) return undilateFilter(grad, dh, kh, kw);
  const [, ew, ci, co] = grad.shape as [number, number, number, number];
  const out = new Float32Array(kh * kw * ci * co);
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let k = 0; k < ci * co; k++) out[(i * kw + j) * ci * co + k] = grad.values[(i * dh * ew + j * dw) * ci * co + k]!;
  return { values: out, shape: [kh, kw, ci, co] };
}

const dilated = (c: Case): boolean => c.dilations[0] > 1 || c.dilations[1] > 1;

beforeAll(async () => {
  await initEngine({ forced: 'wasm', threads: 1 });
});

async function expectClose(kernel: string, inputs: Record<string, HostTensor>, attrs: Record<string, unknown>, reference: () => Promise<HostTensor>, what: string): Promise<void> {
  const actual = await runKernelOn('wasm', kernel, inputs, attrs);
  const expected = await reference();
  expect(actual.shape, what).toEqual(expected.shape);
  expect(maxRelativeError(actual.values, expected.values), what).toBeLessThan(tolerance);
}

describe('wasm training kernels, asymmetric padding and shapes', () => {
  it('claims the kernels it adds and the one it replaces', () => {
    expect([...wasmTrainingKernelNames].sort()).toEqual(['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput', 'UnsortedSegmentSum']);
  });

  it.each(cases)('Conv2DBackpropFilter: $name', async (c) => {
    const filterShape: [number, number, number, number] = [c.kh, c.kw, c.channels, c.channels + 2];
    const x = hostTensor([c.batch, c.h, c.w, c.channels], 21);
    const dy = hostTensor(outShape(c, filterShape, false), 22);
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: c.dilations, filterShape };
    await expectClose('Conv2DBackpropFilter', { x, dy }, attrs, async () => {
      if (!dilated(c)) return runKernelOn('cpu', 'Conv2DBackpropFilter', { x, dy }, attrs);
      const shape = dilate2(hostTensor(filterShape, 0), c.dilations).shape;
      return undilate2(await runKernelOn('cpu', 'Conv2DBackpropFilter', { x, dy }, { ...attrs, dilations: 1, filterShape: shape }), c.dilations, c.kh, c.kw);
    }, c.name);
  });

  it.each(cases)('Conv2DBackpropInput: $name', async (c) => {
    const filter = hostTensor([c.kh, c.kw, c.channels, c.channels + 2], 23);
    const dy = hostTensor(outShape(c, filter.shape as [number, number, number, number], false), 24);
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: c.dilations, inputShape: [c.batch, c.h, c.w, c.channels] };
    await expectClose('Conv2DBackpropInput', { dy, filter }, attrs, () => runKernelOn('cpu', 'Conv2DBackpropInput', { dy, filter: dilate2(filter, c.dilations) }, { ...attrs, dilations: 1 }), c.name);
  });

  it.each(cases)('DepthwiseConv2dNativeBackpropFilter: $name', async (c) => {
    const filterShape: [number, number, number, number] = [c.kh, c.kw, c.channels, 2];
    const x = hostTensor([c.batch, c.h, c.w, c.channels], 25);
    const dy = hostTensor(outShape(c, filterShape, true), 26);
    const attrs = { strides: c.strides, pad: c.pad, dilations: c.dilations, filterShape };
    await expectClose('DepthwiseConv2dNativeBackpropFilter', { x, dy }, attrs, async () => {
      if (!dilated(c)) return runKernelOn('cpu', 'DepthwiseConv2dNativeBackpropFilter', { x, dy }, attrs);
      const shape = dilate2(hostTensor(filterShape, 0), c.dilations).shape;
      return undilate2(await runKernelOn('cpu', 'DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...attrs, dilations: 1, filterShape: shape }), c.dilations, c.kh, c.kw);
    }, c.name);
  });

  it.each(cases)('DepthwiseConv2dNativeBackpropInput: $name', async (c) => {
    const filter = hostTensor([c.kh, c.kw, c.channels, 2], 27);
    const dy = hostTensor(outShape(c, filter.shape as [number, number, number, number], true), 28);
    const attrs = { strides: c.strides, pad: c.pad, dilations: c.dilations, inputShape: [c.batch, c.h, c.w, c.channels] };
    await expectClose('DepthwiseConv2dNativeBackpropInput', { dy, filter }, attrs, () => runKernelOn('cpu', 'DepthwiseConv2dNativeBackpropInput', { dy, filter: dilate2(filter, c.dilations) }, { ...attrs, dilations: 1 }), c.name);
  });

  it('a dilated filter with stride >= its size does not take the native (undilated) path', async () => {
    const filter = hostTensor([2, 2, 2, 3], 29);
    const dy = hostTensor([1, 3, 3, 3], 30);
    const attrs = { strides: 3, pad: 'valid', dataFormat: 'NHWC', dilations: 2, inputShape: [1, 9, 9, 2] };
    await expectClose('Conv2DBackpropInput', { dy, filter }, attrs, () => runKernelOn('cpu', 'Conv2DBackpropInput', { dy, filter: dilateFilter(filter, 2) }, { ...attrs, dilations: 1 }), 'dilated stem');
    // stride >= filter on one axis only: the composite path
    const tall = hostTensor([3, 1, 2, 3], 31);
    const dyTall = hostTensor([1, 3, 9, 3], 32);
    const tallAttrs = { strides: [3, 1], pad: 'valid', dataFormat: 'NHWC', dilations: 1, inputShape: [1, 9, 9, 2] };
    await expectClose('Conv2DBackpropInput', { dy: dyTall, filter: tall }, tallAttrs, () => runKernelOn('cpu', 'Conv2DBackpropInput', { dy: dyTall, filter: tall }, tallAttrs), 'tall filter');
  });
});

describe('wasm training kernels name what they cannot take', () => {
  const backend = (): tf.KernelBackend => tf.backend();
  const info = (values: HostTensor): tf.TensorInfo => {
    const t = tf.tensor(values.values, values.shape, values.dtype ?? 'float32');
    return { dataId: t.dataId, shape: t.shape, dtype: t.dtype };
  };

  it('rejects NCHW, ranks other than 4 and a dy that does not fit the forward output', async () => {
    await tf.setBackend('wasm');
    const x = info(hostTensor([1, 5, 5, 2], 1));
    const dy = info(hostTensor([1, 5, 5, 3], 2));
    const filter = info(hostTensor([3, 3, 2, 3], 3));
    const wrongDy = info(hostTensor([1, 4, 5, 3], 4));
    const flat = info(hostTensor([5, 5, 2], 5));
    const attrs = { strides: 1, pad: 'same', filterShape: [3, 3, 2, 3], inputShape: [1, 5, 5, 2] };
    expect(() => conv2DBackpropFilterWasm(x, dy, backend(), { ...attrs, dataFormat: 'NCHW' })).toThrow(/Conv2DBackpropFilter: only NHWC is supported on wasm, got dataFormat NCHW/);
    expect(() => conv2DBackpropFilterWasm(flat, dy, backend(), attrs)).toThrow(/Conv2DBackpropFilter: x must be rank 4 \(NHWC\), got shape \[5,5,2\]/);
    expect(() => conv2DBackpropFilterWasm(x, wrongDy, backend(), attrs)).toThrow(/Conv2DBackpropFilter: dy shape \[1,4,5,3\] does not match the forward output \[1,5,5,3\]/);
    expect(() => conv2DBackpropFilterWasm(x, info(hostTensor([1, 5, 5, 4], 6)), backend(), attrs)).toThrow(/does not match/);
    expect(() => conv2DBackpropInputWasm(wrongDy, filter, backend(), attrs)).toThrow(/Conv2DBackpropInput: dy shape \[1,4,5,3\] does not match the forward output \[1,5,5,3\]/);
    expect(() => conv2DBackpropInputWasm(dy, flat, backend(), attrs)).toThrow(/Conv2DBackpropInput: filter must be rank 4/);
    expect(() => conv2DBackpropInputWasm(dy, filter, backend(), { ...attrs, dataFormat: 'channelsFirst' })).toThrow(/only NHWC/);
    const dwAttrs = { strides: 1, pad: 'same', dilations: 1, filterShape: [3, 3, 2, 1], inputShape: [1, 5, 5, 2] };
    const dwFilter = info(hostTensor([3, 3, 2, 1], 7));
    expect(() => depthwiseBackpropFilterWasm(x, dy, backend(), dwAttrs)).toThrow(/DepthwiseConv2dNativeBackpropFilter: dy shape \[1,5,5,3\] does not match the forward output \[1,5,5,2\]/);
    expect(() => depthwiseBackpropFilterWasm(x, info(hostTensor([1, 5, 4, 2], 8)), backend(), dwAttrs)).toThrow(/does not match/);
    expect(() => depthwiseBackpropInputWasm(wrongDy, dwFilter, backend(), dwAttrs)).toThrow(/DepthwiseConv2dNativeBackpropInput: dy shape \[1,4,5,3\] does not match the forward output \[1,5,5,2\]/);
    expect(() => depthwiseBackpropInputWasm(info(hostTensor([1, 5, 4, 2], 9)), dwFilter, backend(), dwAttrs)).toThrow(/does not match/);
    expect(() => depthwiseBackpropInputWasm(dy, dwFilter, backend(), { ...dwAttrs, dataFormat: 'NCHW' })).toThrow(/DepthwiseConv2dNativeBackpropInput: only NHWC/);
    expect(() => depthwiseBackpropFilterWasm(x, dy, backend(), { ...dwAttrs, dataFormat: 'NCHW' })).toThrow(/DepthwiseConv2dNativeBackpropFilter: only NHWC/);
    // every shape check on its own: a wrong width, a wrong height, rank-3 dy and filter
    const flatDy = info(hostTensor([5, 5, 3], 10));
    expect(() => conv2DBackpropFilterWasm(x, info(hostTensor([1, 5, 4, 3], 11)), backend(), attrs)).toThrow(/does not match/);
    expect(() => conv2DBackpropFilterWasm(x, flatDy, backend(), attrs)).toThrow(/Conv2DBackpropFilter: dy must be rank 4/);
    expect(() => conv2DBackpropInputWasm(info(hostTensor([1, 5, 4, 3], 12)), filter, backend(), attrs)).toThrow(/does not match/);
    expect(() => conv2DBackpropInputWasm(flatDy, filter, backend(), attrs)).toThrow(/Conv2DBackpropInput: dy must be rank 4/);
    const dw2Attrs = { ...dwAttrs, filterShape: [3, 3, 2, 2] };
    expect(() => depthwiseBackpropFilterWasm(x, info(hostTensor([1, 4, 5, 4], 13)), backend(), dw2Attrs)).toThrow(/DepthwiseConv2dNativeBackpropFilter: dy shape \[1,4,5,4\] does not match the forward output \[1,5,5,4\]/);
    expect(() => depthwiseBackpropFilterWasm(x, flatDy, backend(), dw2Attrs)).toThrow(/DepthwiseConv2dNativeBackpropFilter: dy must be rank 4/);
    const dw2Filter = info(hostTensor([3, 3, 2, 2], 14));
    expect(() => depthwiseBackpropInputWasm(info(hostTensor([1, 5, 4, 4], 15)), dw2Filter, backend(), dw2Attrs)).toThrow(/DepthwiseConv2dNativeBackpropInput: dy shape \[1,5,4,4\] does not match the forward output \[1,5,5,4\]/);
    expect(() => depthwiseBackpropInputWasm(flatDy, dw2Filter, backend(), dw2Attrs)).toThrow(/DepthwiseConv2dNativeBackpropInput: dy must be rank 4/);
    expect(() => depthwiseBackpropInputWasm(dy, flat, backend(), dw2Attrs)).toThrow(/DepthwiseConv2dNativeBackpropInput: filter must be rank 4/);
    // channelsLast is NHWC by another name
    expect(() => conv2DBackpropFilterWasm(x, dy, backend(), { ...attrs, dataFormat: 'channelsLast' })).not.toThrow();
  });

  it('UnsortedSegmentSum names ids that are not a prefix of x, and a missing kernel input', async () => {
    await tf.setBackend('wasm');
    const x = info(hostTensor([4, 3], 1));
    const ids = info({ values: Int32Array.from([0, 1, 0]), shape: [3], dtype: 'int32' });
    expect(() => unsortedSegmentSumWasm(x, ids, backend(), { numSegments: 2 })).toThrow(/UnsortedSegmentSum: segmentIds shape \[3\] must be a prefix of x shape \[4,3\]/);
    // ids [4,2] share the first axis with x [4,3] but are not a prefix of it
    const partial = info({ values: Int32Array.from([0, 1, 0, 1, 0, 1, 0, 1]), shape: [4, 2], dtype: 'int32' });
    expect(() => unsortedSegmentSumWasm(x, partial, backend(), { numSegments: 2 })).toThrow(/segmentIds shape \[4,2\] must be a prefix of x shape \[4,3\]/);
    // int32 rows of 3 summed per segment
    const rows = await runKernelOn('wasm', 'UnsortedSegmentSum', { x: { values: Int32Array.from([1, 2, 3, 10, 20, 30, 100, 200, 300]), shape: [3, 3], dtype: 'int32' }, segmentIds: { values: Int32Array.from([1, 0, 1]), shape: [3], dtype: 'int32' } }, { numSegments: 2 });
    expect(rows.shape).toEqual([2, 3]);
    expect(Array.from(rows.values)).toEqual([10, 20, 30, 101, 202, 303]);
    const inputs = { x: tf.tensor2d([[1, 2]]) };
    expect(() => tf.engine().runKernel('UnsortedSegmentSum', inputs, { numSegments: 1 })).toThrow(/UnsortedSegmentSum: missing input 'segmentIds'/);
    // ids at both edges: -1 and numSegments dropped, numSegments - 1 kept
    const sum = await runKernelOn('wasm', 'UnsortedSegmentSum', { x: { values: Float32Array.from([1, 2, 4, 8]), shape: [4] }, segmentIds: { values: Int32Array.from([-1, 2, 1, 3]), shape: [4], dtype: 'int32' } }, { numSegments: 3 });
    expect(Array.from(sum.values)).toEqual([0, 4, 2]);
  });
});
