/**
 * Kernels the wasm backend lacks for training conv nets, registered for
 * 'wasm' from the engine. Each one is composed from kernels wasm runs fast
 * (XNNPACK convolutions, batched matmul, elementwise ops), never from a
 * scalar JavaScript loop over the convolution, except UnsortedSegmentSum,
 * which is a plain scatter-add and only sees small gather gradients.
 *
 * Shapes are NHWC throughout (the only layout the wasm backend supports).
 */
import {
  backend_util,
  getKernel,
  registerKernel,
  unregisterKernel,
  type KernelBackend,
  type KernelConfig,
  type NamedAttrMap,
  type TensorInfo,
  type TypedArray,
} from '@tensorflow/tfjs-core';
import { composite, type KernelCalls } from './kernelCalls';

const wasm = 'wasm';

type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding;
type Pair = [number, number];
type Shape4 = [number, number, number, number];

function input(inputs: Record<string, TensorInfo | undefined>, name: string, kernel: string): TensorInfo {
  const t = inputs[name];
  if (!t) throw new Error(`${kernel}: missing input '${name}'`);
  return t;
}

function shape4(t: TensorInfo, what: string, kernel: string): Shape4 {
  if (t.shape.length !== 4) throw new Error(`${kernel}: ${what} must be rank 4 (NHWC), got shape [${t.shape.join(',')}]`);
  return t.shape as Shape4;
}

function requireNHWC(attrs: NamedAttrMap, kernel: string): void {
  const format = attrs.dataFormat as string | undefined;
  if (format !== undefined && format !== 'NHWC' && format !== 'channelsLast') {
    throw new Error(`${kernel}: only NHWC is supported on wasm, got dataFormat ${format}`);
  }
}

/**
 * The input padded (or cropped) so that every filter tap's window lies
 * inside it: top/left as the forward pass padded, bottom/right exactly what
 * the last window reaches (rows the forward pass never read are cropped).
 */
function paddedForWindows(k: KernelCalls, x: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const [, h, w] = x.shape as Shape4;
  const needH = (info.outHeight - 1) * info.strideHeight + info.effectiveFilterHeight;
  const needW = (info.outWidth - 1) * info.strideWidth + info.effectiveFilterWidth;
  const { top, left } = info.padInfo;
  return k.padOrCrop(x, [
    [0, 0],
    [top, needH - h - top],
    [left, needW - w - left],
    [0, 0],
  ]);
}

/**
 * dW[i,j,ci,co] = Σ_{n,oh,ow} xPad[n, oh·s + i·d, ow·s + j·d, ci] · dy[n,oh,ow,co]
 * is itself a convolution: batch ci, channels n, the "filter" dy with its
 * dilation equal to the forward stride, the "stride" equal to the forward
 * dilation. XNNPACK runs it as one GEMM with M = Cin·kh·kw, K = N·outH·outW,
 * N = Cout (measured 2-20x faster than a matmul per tap over strided slices).
 * Accepts an optional `dilations` attr (tfjs's own gradient never sends one).
 */
export function conv2DBackpropFilterWasm(x: TensorInfo, dy: TensorInfo, backend: KernelBackend, attrs: NamedAttrMap): TensorInfo {
  const kernel = 'Conv2DBackpropFilter';
  requireNHWC(attrs, kernel);
  const filterShape = attrs.filterShape as Shape4;
  const dilations = (attrs.dilations as number | Pair | undefined) ?? 1;
  const info = backend_util.computeConv2DInfo(shape4(x, 'x', kernel), filterShape, attrs.strides as Pair | number, dilations, attrs.pad as Pad, attrs.dimRoundingMode as 'floor' | undefined);
  const [n, oh, ow, dyC] = shape4(dy, 'dy', kernel);
  if (oh !== info.outHeight || ow !== info.outWidth || dyC !== filterShape[3]) {
    throw new Error(`${kernel}: dy shape [${dy.shape.join(',')}] does not match the forward output [${n},${info.outHeight},${info.outWidth},${filterShape[3]}]`);
  }
  return composite(backend, wasm, (k) => {
    const xT = k.run('Transpose', { x: paddedForWindows(k, x, info) }, { perm: [3, 1, 2, 0] }); // [Cin, Hp, Wp, N]
    const dyT = k.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }); // [outH, outW, N, Cout]
    const grad = k.run('Conv2D', { x: xT, filter: dyT }, { strides: [info.dilationHeight, info.dilationWidth], dilations: [info.strideHeight, info.strideWidth], pad: 'valid', dataFormat: 'NHWC' }); // [Cin, kh, kw, Cout]
    return k.run('Transpose', { x: grad }, { perm: [1, 2, 0, 3] });
  });
}

/**
 * Same idea as conv2DBackpropFilterWasm, as a depthwise convolution over
 * C·N channels (each (c, n) pair is one channel whose filter is dy[n, .., c·M+m]),
 * then the batch summed out.
 */
export function depthwiseBackpropFilterWasm(x: TensorInfo, dy: TensorInfo, backend: KernelBackend, attrs: NamedAttrMap): TensorInfo {
  const kernel = 'DepthwiseConv2dNativeBackpropFilter';
  requireNHWC(attrs, kernel);
  const filterShape = attrs.filterShape as Shape4;
  const info = backend_util.computeConv2DInfo(shape4(x, 'x', kernel), filterShape, attrs.strides as Pair | number, attrs.dilations as Pair | number, attrs.pad as Pad, attrs.dimRoundingMode as 'floor' | undefined, true);
  const [kh, kw, c, m] = filterShape;
  const [n, oh, ow, dyC] = shape4(dy, 'dy', kernel);
  if (oh !== info.outHeight || ow !== info.outWidth || dyC !== c * m) {
    throw new Error(`${kernel}: dy shape [${dy.shape.join(',')}] does not match the forward output [${n},${info.outHeight},${info.outWidth},${c * m}]`);
  }
  return composite(backend, wasm, (k) => {
    const xPadded = paddedForWindows(k, x, info);
    const [, hp, wp] = xPadded.shape as Shape4;
    const xT = k.reshape(k.run('Transpose', { x: xPadded }, { perm: [1, 2, 3, 0] }), [1, hp, wp, c * n]);
    const dy5 = k.reshape(dy, [n, oh, ow, c, m]);
    const filter = k.reshape(k.run('Transpose', { x: dy5 }, { perm: [1, 2, 3, 0, 4] }), [oh, ow, c * n, m]);
    const grad = k.run('DepthwiseConv2dNative', { x: xT, filter }, { strides: [info.dilationHeight, info.dilationWidth], dilations: [info.strideHeight, info.strideWidth], pad: 'valid', dataFormat: 'NHWC' }); // [1, kh, kw, C·N·M]
    const perBatch = k.reshape(grad, [kh, kw, c, n, m]);
    // Stryker disable next-line BooleanLiteral: equivalent, the reshape below drops a kept axis of size 1
    const summed = k.run('Sum', { x: perBatch }, { axis: [3], keepDims: false });
    return k.reshape(summed, [kh, kw, c, m]);
  });
}

/**
 * dy spread back to input resolution: zeros inserted between rows/columns
 * (stride), then padded so that a stride-1 correlation with the 180°-rotated
 * filter lands output (h, w) exactly on input position (h, w).
 */
function dilatedPaddedGradient(k: KernelCalls, dy: TensorInfo, info: backend_util.Conv2DInfo, inH: number, inW: number): TensorInfo {
  const [n, oh, ow, ch] = dy.shape as Shape4;
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  let spread = dy;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, spreading at stride 1 pads nothing (the check saves the copy)
  if (sh > 1 || sw > 1) {
    const six = k.reshape(dy, [n, oh, 1, ow, 1, ch]);
    const padded = k.run('PadV2', { x: six }, { paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0 });
    spread = k.reshape(padded, [n, oh * sh, ow * sw, ch]);
  }
  // spread holds dy[o] at row o·s and (s-1) trailing zero rows.
  const beforeH = info.effectiveFilterHeight - 1 - info.padInfo.top;
  const beforeW = info.effectiveFilterWidth - 1 - info.padInfo.left;
  const afterH = inH + info.effectiveFilterHeight - 1 - beforeH - oh * sh;
  const afterW = inW + info.effectiveFilterWidth - 1 - beforeW - ow * sw;
  return k.padOrCrop(spread, [
    [0, 0],
    [beforeH, afterH],
    [beforeW, afterW],
    [0, 0],
  ]);
}

/**
 * dx = depthwise correlation of the spread dy with the rotated filter
 * (dilation as in the forward pass, stride 1), then the M multiplier
 * channels of each input channel summed.
 */
export function depthwiseBackpropInputWasm(dy: TensorInfo, filter: TensorInfo, backend: KernelBackend, attrs: NamedAttrMap): TensorInfo {
  const kernel = 'DepthwiseConv2dNativeBackpropInput';
  requireNHWC(attrs, kernel);
  const inputShape = attrs.inputShape as Shape4;
  const filterShape = shape4(filter, 'filter', kernel);
  const info = backend_util.computeConv2DInfo(inputShape, filterShape, attrs.strides as Pair | number, attrs.dilations as Pair | number, attrs.pad as Pad, attrs.dimRoundingMode as 'floor' | undefined, true);
  const [n, h, w, c] = inputShape;
  const [kh, kw, , m] = filterShape;
  const [, oh, ow] = shape4(dy, 'dy', kernel);
  if (oh !== info.outHeight || ow !== info.outWidth) {
    throw new Error(`${kernel}: dy shape [${dy.shape.join(',')}] does not match the forward output [${n},${info.outHeight},${info.outWidth},${c * m}]`);
  }
  return composite(backend, wasm, (k) => {
    const source = dilatedPaddedGradient(k, dy, info, h, w);
    const rotated = k.run('Reverse', { x: filter }, { dims: [0, 1] });
    const flat = k.reshape(rotated, [kh, kw, c * m, 1]);
    const conv = k.run('DepthwiseConv2dNative', { x: source, filter: flat }, { strides: [1, 1], dilations: [info.dilationHeight, info.dilationWidth], pad: 'valid', dataFormat: 'NHWC' });
    // Stryker disable next-line ConditionalExpression: equivalent, summing a multiplier axis of size 1 changes nothing
    if (m === 1) return conv;
    const split = k.reshape(conv, [n, h, w, c, m]);
    return k.run('Sum', { x: split }, { axis: [4], keepDims: false });
  });
}

/**
 * dx = correlation of the spread dy with the rotated, in/out-swapped filter
 * on XNNPACK's Conv2D. Faster than the wasm backend's own
 * Conv2DBackpropInput, which is a scalar loop (see docs/engine.md).
 */
export function conv2DBackpropInputWasm(dy: TensorInfo, filter: TensorInfo, backend: KernelBackend, attrs: NamedAttrMap): TensorInfo {
  const kernel = 'Conv2DBackpropInput';
  requireNHWC(attrs, kernel);
  const inputShape = attrs.inputShape as Shape4;
  const filterShape = shape4(filter, 'filter', kernel);
  const dilations = (attrs.dilations as number | Pair | undefined) ?? 1;
  const info = backend_util.computeConv2DInfo(inputShape, filterShape, attrs.strides as Pair | number, dilations, attrs.pad as Pad, attrs.dimRoundingMode as 'floor' | undefined);
  const [, h, w] = inputShape;
  const [n, oh, ow] = shape4(dy, 'dy', kernel);
  if (oh !== info.outHeight || ow !== info.outWidth) {
    throw new Error(`${kernel}: dy shape [${dy.shape.join(',')}] does not match the forward output [${n},${info.outHeight},${info.outWidth},${filterShape[3]}]`);
  }
  return composite(backend, wasm, (k) => {
    const source = dilatedPaddedGradient(k, dy, info, h, w);
    const rotated = k.run('Reverse', { x: filter }, { dims: [0, 1] });
    const swapped = k.run('Transpose', { x: rotated }, { perm: [0, 1, 3, 2] });
    return k.run('Conv2D', { x: source, filter: swapped }, { strides: [1, 1], dilations: [info.dilationHeight, info.dilationWidth], pad: 'valid', dataFormat: 'NHWC' });
  });
}

/** out[s, ...] = Σ x[i, ...] over i with segmentIds[i] = s; ids outside [0, numSegments) are dropped, as in TensorFlow. */
export function unsortedSegmentSumWasm(x: TensorInfo, segmentIds: TensorInfo, backend: KernelBackend, attrs: NamedAttrMap): TensorInfo {
  const numSegments = attrs.numSegments as number;
  const idsRank = segmentIds.shape.length;
  if (!segmentIds.shape.every((d, axis) => d === x.shape[axis])) {
    throw new Error(`UnsortedSegmentSum: segmentIds shape [${segmentIds.shape.join(',')}] must be a prefix of x shape [${x.shape.join(',')}]`);
  }
  const ids = backend.readSync(segmentIds.dataId) as TypedArray;
  const values = backend.readSync(x.dataId) as TypedArray;
  const inner = x.shape.slice(idsRank).reduce((a, b) => a * b, 1);
  const out = x.dtype === 'int32' ? new Int32Array(numSegments * inner) : new Float32Array(numSegments * inner);
  // Stryker disable next-line EqualityOperator: equivalent, ids[length] is undefined and its writes land at NaN (ignored)
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i]!;
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: equivalent, a typed array ignores writes outside it; the check states TensorFlow's rule
    if (s < 0 || s >= numSegments) continue;
    const src = i * inner;
    const dst = s * inner;
    for (let e = 0; e < inner; e++) out[dst + e]! += values[src + e]!;
  }
  const outShape = [numSegments, ...x.shape.slice(idsRank)];
  // KernelBackend.write returns a dataId the backend owns with refCount 1.
  return { dataId: backend.write(out, outShape, x.dtype), shape: outShape, dtype: x.dtype };
}

function config(kernelName: string, fn: (a: TensorInfo, b: TensorInfo, backend: KernelBackend, attrs: NamedAttrMap) => TensorInfo, first: string, second: string): KernelConfig {
  return {
    kernelName,
    backendName: wasm,
    kernelFunc: ({ inputs, backend, attrs }) => fn(input(inputs, first, kernelName), input(inputs, second, kernelName), backend as KernelBackend, attrs ?? {}),
  };
}

/**
 * When windows do not overlap (stride >= filter size, e.g. a patchify stem),
 * the spread dy is mostly zeros and wasm's own loop is faster; otherwise the
 * XNNPACK formulation wins (measured 3-10x on 3x3 and 7x7 filters).
 */
function conv2DBackpropInputConfig(native: KernelConfig | undefined): KernelConfig {
  const kernelName = 'Conv2DBackpropInput';
  return {
    kernelName,
    backendName: wasm,
    // The native kernel binds its wasm function in setupFunc, run when the backend initialises.
    ...(native?.setupFunc ? { setupFunc: native.setupFunc } : {}),
    kernelFunc: (args) => {
      const attrs = args.attrs ?? {};
      const filter = input(args.inputs, 'filter', kernelName);
      const strides = attrs.strides as number | Pair;
      // Stryker disable next-line ConditionalExpression,ArrayDeclaration: equivalent, only picks the faster path; both paths are tested against cpu
      const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
      const [kh = 1, kw = 1] = filter.shape;
      const dilations = attrs.dilations as number | Pair | undefined;
      // Stryker disable next-line ConditionalExpression,EqualityOperator,MethodExpression,ArrowFunction: equivalent, only picks the faster path; both paths are tested against cpu
      const dilated = dilations !== undefined && (typeof dilations === 'number' ? dilations > 1 : dilations.some((d) => d > 1));
      // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, only picks the faster path; both paths are tested against cpu
      if (native && !dilated && sh >= kh && sw >= kw) return native.kernelFunc(args);
      return conv2DBackpropInputWasm(input(args.inputs, 'dy', kernelName), filter, args.backend as KernelBackend, attrs);
    },
  };
}

/** The kernels wasm lacks, added by this module. */
export const wasmTrainingKernelConfigs: readonly KernelConfig[] = [
  config('Conv2DBackpropFilter', conv2DBackpropFilterWasm, 'x', 'dy'),
  config('DepthwiseConv2dNativeBackpropFilter', depthwiseBackpropFilterWasm, 'x', 'dy'),
  config('DepthwiseConv2dNativeBackpropInput', depthwiseBackpropInputWasm, 'dy', 'filter'),
  config('UnsortedSegmentSum', unsortedSegmentSumWasm, 'x', 'segmentIds'),
];

/** Kernel names this module registers or replaces on wasm. */
export const wasmTrainingKernelNames: readonly string[] = [...wasmTrainingKernelConfigs.map((k) => k.kernelName), 'Conv2DBackpropInput'];

let replacedBackpropInput: KernelConfig | null = null;

/**
 * Registers the training kernels for 'wasm' (and swaps in the faster
 * Conv2DBackpropInput); safe to call any number of times.
 */
export function registerWasmTrainingKernels(): void {
  for (const kernel of wasmTrainingKernelConfigs) {
    if (!getKernel(kernel.kernelName, wasm)) registerKernel(kernel);
  }
  const current = getKernel('Conv2DBackpropInput', wasm);
  if (replacedBackpropInput && current?.kernelFunc === replacedBackpropInput.kernelFunc) return;
  if (current) unregisterKernel('Conv2DBackpropInput', wasm);
  replacedBackpropInput = conv2DBackpropInputConfig(current);
  registerKernel(replacedBackpropInput);
}
