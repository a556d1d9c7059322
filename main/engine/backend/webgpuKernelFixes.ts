/**
 * Fixes for kernels of tfjs-backend-webgpu 4.22 that our model reaches and
 * that fail on it, registered by initEngine when webgpu is chosen.
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
import { getKernel, registerKernel, unregisterKernel, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { composite } from './kernelCalls';

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
      return x.dtype === 'int32' && out.dtype === 'float32' && name !== 'Mean' ? k.run('Cast', { x: out }, { dtype: 'int32' }) : out;
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
    unregisterKernel('AddN', backendName);
    registerKernel({ ...(addN as KernelConfig), kernelFunc: chunkedAddN(addN.kernelFunc) });
  }
  // Stryker disable next-line MethodExpression,ConditionalExpression,StringLiteral: equivalent, the detour passes AddN (no input x) to the chunked kernel unchanged
  for (const name of webgpuFixedKernelNames.filter((n) => n !== 'AddN')) {
    const original = getKernel(name, backendName);
    // Stryker disable next-line ConditionalExpression: equivalent, tfjs-backend-webgpu registers every kernel named here (the guard is for another version)
    if (!original) continue;
    unregisterKernel(name, backendName);
    registerKernel({ ...(original as KernelConfig), kernelFunc: withFloatBuffer(name, original.kernelFunc) });
  }
  registered = true;
}
