/**
 * Fixes for kernels of tfjs-backend-webgpu 4.22 that our model reaches and
 * that fail on it, or run needlessly slowly (small reductions, convolutions
 * over a channel count its fast shaders skip: see each below), registered by
 * initEngine when webgpu is chosen.
 *
 * TransposeProgram cannot read an i32 buffer: it writes the raw element into
 * the f32 output helper ("type mismatch for argument 2 in call to
 * 'setOutputAtIndex', expected 'f32', got 'i32'"), so its pipeline is invalid
 * and the result garbage. That hits int32 tensors, and also float32 ones made
 * by Cast from int32, which only relabels the tensor (the buffer stays i32).
 * Besides Transpose itself, the reductions transpose internally when the
 * reduced axes are not innermost (the segmentation loss sums its int32
 * one-hot masks over [0, 1, 2]). These kernels here first turn such an input
 * into a real f32 buffer (x * 1.0, whose shader converts on read), run the
 * backend's own kernel, and cast an int32 result back. Integers here are
 * labels, masks and indices (|v| < 2^24, exact in float32).
 */
import { backend_util, getKernel, registerKernel, unregisterKernel, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { composite, type KernelCalls } from './kernelCalls';

const backendName = 'webgpu';
let registered = false;

/** Kernel names this module wraps on webgpu. */
export const webgpuFixedKernelNames = ['AddN', 'Transpose', 'Sum', 'Max', 'Min', 'Prod', 'Mean', 'ArgMax', 'ArgMin', 'All', 'Any'];

interface BufferDtypes {
  tensorMap: { get(dataId: object): { dtype: string } | undefined };
  makeTensorInfo(shape: number[], dtype: string, values: Float32Array): TensorInfo;
}

/** true when the tensor's buffer holds another type than its dtype says (a relabelling Cast) */
function relabelled(backend: unknown, x: TensorInfo): boolean {
  // Stryker disable next-line OptionalChaining: equivalent, the backend holds every tensor handed to its own kernels
  const stored = (backend as BufferDtypes).tensorMap.get(x.dataId)?.dtype;
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent in results, the float-buffer detour gives the same values and dtype to a tensor that does not need it, only slower (tested: bool through All/Any, float32 through Transpose); the `false` variant, relabelled floats not detoured, is killed but hidden with them
  return stored !== undefined && stored !== x.dtype;
}

function withFloatBuffer(name: string, original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo | undefined;
    // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent in results as in relabelled(): more inputs through the detour, same values and dtypes (the `true` variant, no detour at all, is killed but hidden with them)
    if (!x || (x.dtype !== 'int32' && !relabelled(args.backend, x))) return original(args);
    return composite(args.backend as Parameters<typeof composite>[0], backendName, (k) => {
      // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: equivalent on tfjs-backend-webgpu 4.22, Multiply by a float32 one converts an int32 or bool buffer on read, and a float32 to float32 Cast is a copy
      const asFloat = x.dtype === 'float32' ? x : k.run('Cast', { x }, { dtype: 'float32' });
      const one = k.adopt((args.backend as unknown as BufferDtypes).makeTensorInfo([], 'float32', new Float32Array([1])));
      const real = k.run('Multiply', { a: asFloat, b: one });
      const out = k.adopt(original({ ...args, inputs: { ...args.inputs, x: real } }) as TensorInfo);
      // the kernels whose output type follows the input's (Transpose, Sum, Max, Min, Prod) give int32 back
      // Stryker disable next-line ConditionalExpression: equivalent, an int32 result (ArgMax, ArgMin) cast to int32 is a copy
      return x.dtype === 'int32' && out.dtype === 'float32' && name !== 'Mean' ? k.run('Cast', { x: out }, { dtype: 'int32' }) : out;
    });
  };
}

/**
 * A reduction over few values per output (the gradient of the 2x upsampling
 * sums 4, a softmax over a few classes sums or maxes 2-8 per pixel) as that
 * many slices combined elementwise. tfjs's ReduceProgram runs one workgroup
 * per output, with a shared-memory tree and barriers even for 4 values, and
 * transposes first when the axes are not innermost: on a software adapter
 * (SwiftShader) each workgroup costs ~0.2 ms, so a 32x32 softmax cost 0.5 s
 * and the upsampling gradient 3 s (tf.profile, docs/engine.md). Slices and
 * an elementwise sum are plain per-element shaders.
 */
export const smallReduction = { maxValues: 8, minOutputs: 256 };

/** true when a reduction of `shape` over `axes` is small enough to run as slices (smallReduction) */
export function reducesAsSlices(shape: readonly number[], axes: readonly number[]): boolean {
  const values = axes.reduce((n, a) => n * shape[a]!, 1);
  const outputs = util.sizeFromShape(shape as number[]) / Math.max(1, values);
  return values >= 2 && values <= smallReduction.maxValues && outputs >= smallReduction.minOutputs;
}

function reducedAxes(x: TensorInfo, axis: unknown): number[] {
  return util.parseAxisParam(axis as number | number[], x.shape);
}

/** every index combination of the reduced axes, as Slice begins */
function sliceBegins(shape: number[], axes: number[]): number[][] {
  let begins: number[][] = [shape.map(() => 0)];
  for (const a of axes) begins = begins.flatMap((b) => Array.from({ length: shape[a]! }, (_, i) => b.map((v, d) => (d === a ? i : v))));
  return begins;
}

function asSlices(name: 'Sum' | 'Max', original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo | undefined;
    if (!x || x.dtype !== 'float32' || relabelled(args.backend, x)) return original(args);
    // Stryker disable next-line OptionalChaining: equivalent, the engine hands every kernel an attrs object
    const axes = reducedAxes(x, name === 'Max' ? args.attrs?.reductionIndices : args.attrs?.axis);
    if (!reducesAsSlices(x.shape, axes)) return original(args);
    return composite(args.backend as Parameters<typeof composite>[0], backendName, (k) => {
      const size = x.shape.map((n, d) => (axes.includes(d) ? 1 : n));
      const parts = sliceBegins(x.shape, axes).map((begin) => k.run('Slice', { x }, { begin, size }));
      let combined: TensorInfo;
      if (name === 'Sum') combined = parts.length <= addNChunk ? k.run('AddN', parts) : parts.reduce((a, b) => k.run('Add', { a, b }));
      else combined = parts.reduce((a, b) => k.run('Maximum', { a, b }));
      // Stryker disable next-line OptionalChaining: equivalent, the engine hands every kernel an attrs object
      const outShape = args.attrs?.keepDims ? size : x.shape.filter((_, d) => !axes.includes(d));
      return k.reshape(combined, outShape);
    });
  };
}

/**
 * tfjs's tiled convolution shaders read and write 4 channels at a time only
 * when the input channels are a multiple of 4 (or 3) and the output channels
 * of 4; otherwise they fall back to a scalar shader, 3x slower here (the
 * pixel decoder's full-resolution conv over 32 features + 3 image channels:
 * 3.3 s for 35 channels, 1.1 s for 36, SwiftShader). Zero channels added to
 * the input and the filter leave every output as it is.
 */
export function channelsToPad(inChannels: number, outChannels: number): number {
  return inChannels % 4 !== 0 && inChannels % 3 !== 0 && outChannels % 4 === 0 ? 4 - (inChannels % 4) : 0;
}

function padAxis(k: KernelCalls, x: TensorInfo, axis: number, extra: number): TensorInfo {
  return k.padOrCrop(x, x.shape.map((_, d): [number, number] => [0, d === axis ? extra : 0]));
}

/** Conv2D and FusedConv2D (NHWC): input and filter padded with zero input channels */
function withPaddedInputChannels(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    const filter = args.inputs.filter as TensorInfo;
    // Stryker disable next-line OptionalChaining,ConditionalExpression: equivalent, attrs always exists and tf.conv2d hands its kernel 4-D inputs only (the NCHW test kills the rest)
    const extra = args.attrs?.dataFormat === 'NCHW' || x.shape.length !== 4 ? 0 : channelsToPad(filter.shape[2]!, filter.shape[3]!);
    // Stryker disable next-line ConditionalExpression: equivalent, with no extra channels the padded path pads by nothing and calls the same kernel
    if (!extra) return original(args);
    return composite(args.backend as Parameters<typeof composite>[0], backendName, (k) =>
      k.adopt(original({ ...args, inputs: { ...args.inputs, x: padAxis(k, x, 3, extra), filter: padAxis(k, filter, 2, extra) } }) as TensorInfo),
    );
  };
}

/** Conv2DBackpropInput (NHWC): the filter padded with zero input channels, the extra input channels of dx cut off */
function withPaddedBackpropChannels(original: KernelFunc): KernelFunc {
  return (args) => {
    const filter = args.inputs.filter as TensorInfo;
    const inputShape = args.attrs?.inputShape as number[];
    // Stryker disable next-line OptionalChaining,ConditionalExpression: equivalent, attrs always exists and the conv gradient's input shape is always 4-D (the NCHW test kills the rest)
    const extra = args.attrs?.dataFormat === 'NCHW' || inputShape.length !== 4 ? 0 : channelsToPad(filter.shape[2]!, filter.shape[3]!);
    // Stryker disable next-line ConditionalExpression: equivalent, with no extra channels the padded path pads by nothing, calls the same kernel and crops nothing
    if (!extra) return original(args);
    return composite(args.backend as Parameters<typeof composite>[0], backendName, (k) => {
      const padded = k.adopt(original({ ...args, inputs: { ...args.inputs, filter: padAxis(k, filter, 2, extra) }, attrs: { ...args.attrs, inputShape: [...inputShape.slice(0, 3), inputShape[3]! + extra] } }) as TensorInfo);
      return k.padOrCrop(padded, [[0, 0], [0, 0], [0, 0], [0, -extra]]);
    });
  };
}

/**
 * A convolution whose output map is tiny (the deepest levels: 1x1, 2x2) over
 * a batch. tfjs's tiled conv shader tiles each image's output pixels in rows
 * of 32, so on a 1x1 map 31 of 32 rows of every tile are wasted, per image:
 * prediction at batch 16 spent 9 s in six 3x3 convs on [16,1,1,96] here.
 * Patches of the whole batch as one matrix (one strided slice per filter
 * tap, concatenated) and one matmul (with the conv's bias and activation)
 * compute the same sums.
 */
export const tinyMapConv = { maxOutputPixels: 4, minBatch: 2 };

/** true when a convolution is one over a batch of tiny maps (tinyMapConv), computed better as one matmul */
export function foldsOverBatch(info: Pick<backend_util.Conv2DInfo, 'batchSize' | 'outHeight' | 'outWidth' | 'filterHeight' | 'filterWidth' | 'dilationHeight' | 'dilationWidth'>): boolean {
  const taps = info.filterHeight * info.filterWidth;
  return info.batchSize >= tinyMapConv.minBatch && info.outHeight * info.outWidth <= tinyMapConv.maxOutputPixels && taps > 1 && info.dilationHeight === 1 && info.dilationWidth === 1;
}

function batchFoldedConv(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    const filter = args.inputs.filter as TensorInfo;
    const attrs = args.attrs ?? {};
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: equivalent, tf.conv2d hands its kernel float32 4-D inputs only (the check keeps this kernel safe for other callers)
    if (x.dtype !== 'float32' || x.shape.length !== 4) return original(args);
    if (attrs.dataFormat === 'NCHW' || args.inputs.preluActivationWeights) return original(args);
    const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number], attrs.strides as number | [number, number], attrs.dilations as number | [number, number], attrs.pad as 'same', attrs.dimRoundingMode as 'floor' | undefined, false, 'channelsLast');
    if (!foldsOverBatch(info)) return original(args);
    const taps = info.filterHeight * info.filterWidth;
    return composite(args.backend as Parameters<typeof composite>[0], backendName, (k) => {
      const p = info.padInfo;
      const padded = k.padOrCrop(x, [[0, 0], [p.top, p.bottom], [p.left, p.right], [0, 0]]);
      const patches: TensorInfo[] = [];
      for (let i = 0; i < info.filterHeight; i++) {
        for (let j = 0; j < info.filterWidth; j++) {
          const begin = [0, i, j, 0];
          const end = [info.batchSize, i + (info.outHeight - 1) * info.strideHeight + 1, j + (info.outWidth - 1) * info.strideWidth + 1, info.inChannels];
          patches.push(k.run('StridedSlice', { x: padded }, { begin, end, strides: [1, info.strideHeight, info.strideWidth, 1], beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0 }));
        }
      }
      // (tap, channel) order, as the filter [kh, kw, Cin, Cout] flattens
      const rows = info.batchSize * info.outHeight * info.outWidth;
      const matrix = k.reshape(k.run('Concat', patches, { axis: 3 }), [1, rows, taps * info.inChannels]);
      const weights = k.reshape(filter, [1, taps * info.inChannels, info.outChannels]);
      const bias = args.inputs.bias as TensorInfo | undefined;
      // a plain Conv2D (no bias, no activation) is a fused matmul with a linear activation
      const product = k.run('_FusedMatMul', { a: matrix, b: weights, ...(bias ? { bias } : {}) }, { transposeA: false, transposeB: false, activation: (attrs.activation as string | undefined) ?? 'linear', leakyreluAlpha: (attrs.leakyreluAlpha as number | undefined) ?? 0 });
      return k.reshape(product, [info.batchSize, info.outHeight, info.outWidth, info.outChannels]);
    });
  };
}

/** inputs per AddN call: 7 + the output binding = WebGPU's default storage-buffer limit of 8 */
export const addNChunk = 7;

function chunkedAddN(original: KernelFunc): KernelFunc {
  return (args) => {
    const inputs = args.inputs as unknown as TensorInfo[];
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, up to addNChunk inputs the chunked path makes one call with all of them (the `true` variant, one call for any number, is killed but hidden with them)
    if (inputs.length <= addNChunk) return original(args);
    return composite(args.backend as Parameters<typeof composite>[0], backendName, (k) => {
      let level: TensorInfo[] = inputs;
      while (level.length > 1) {
        const next: TensorInfo[] = [];
        for (let i = 0; i < level.length; i += addNChunk) {
          const group = level.slice(i, i + addNChunk);
          // Stryker disable next-line ConditionalExpression: equivalent, AddN of one input is that input (the `true` variant, the first of each group only, is killed but hidden with it)
          next.push(group.length === 1 ? group[0]! : k.adopt(original({ ...args, inputs: group as unknown as typeof args.inputs }) as TensorInfo));
        }
        level = next;
      }
      return level[0]!;
    });
  };
}

export function registerWebgpuKernelFixes(): void {
  if (registered) return;
  const addN = getKernel('AddN', backendName);
  // Stryker disable next-line ConditionalExpression: equivalent, tfjs-backend-webgpu registers AddN (the guard is for another version)
  if (addN) {
    // Stryker disable next-line StringLiteral: equivalent, registering a kernel name again replaces the entry (tfjs warns), so not unregistering first changes nothing
    unregisterKernel('AddN', backendName);
    registerKernel({ ...(addN as KernelConfig), kernelFunc: chunkedAddN(addN.kernelFunc) });
  }
  // Stryker disable next-line MethodExpression,ConditionalExpression,StringLiteral: equivalent, the detour passes AddN (no input x) to the chunked kernel unchanged
  for (const name of webgpuFixedKernelNames.filter((n) => n !== 'AddN')) {
    const original = getKernel(name, backendName);
    // Stryker disable next-line ConditionalExpression: equivalent, tfjs-backend-webgpu registers every kernel named here (the guard is for another version)
    if (!original) continue;
    unregisterKernel(name, backendName);
    const fixed = withFloatBuffer(name, original.kernelFunc);
    registerKernel({ ...(original as KernelConfig), kernelFunc: name === 'Sum' || name === 'Max' ? asSlices(name, fixed) : fixed });
  }
  const wrappers: Array<[string, (f: KernelFunc) => KernelFunc]> = [
    ['Conv2D', (f) => batchFoldedConv(withPaddedInputChannels(f))],
    ['FusedConv2D', (f) => batchFoldedConv(withPaddedInputChannels(f))],
    ['Conv2DBackpropInput', withPaddedBackpropChannels],
  ];
  for (const [name, wrap] of wrappers) {
    const original = getKernel(name, backendName);
    // Stryker disable next-line ConditionalExpression: equivalent, tfjs-backend-webgpu registers every kernel named here (the guard is for another version)
    if (!original) continue;
    unregisterKernel(name, backendName);
    registerKernel({ ...(original as KernelConfig), kernelFunc: wrap(original.kernelFunc) });
  }
  registered = true;
}
