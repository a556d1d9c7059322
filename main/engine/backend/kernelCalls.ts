/**
 * Runs registered kernels of one backend directly (below the engine, like the
 * backends' own composite kernels do) and owns every intermediate result, so a
 * composite kernel can free all of them at the end with one call.
 *
 * Calling kernel functions instead of tf ops keeps the composite invisible to
 * gradient tapes, profiles and tensor counts: to the engine it is one kernel.
 */
import { getKernel, type KernelBackend, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';

export class KernelCalls {
  private readonly owned: TensorInfo[] = [];

  constructor(
    private readonly backend: KernelBackend,
    private readonly backendName: string,
  ) {}

  /** Runs kernel `name` of this backend; the result is owned until release(). */
  run(name: string, inputs: Record<string, TensorInfo> | TensorInfo[], attrs: NamedAttrMap = {}): TensorInfo {
    const kernel = getKernel(name, this.backendName);
    if (!kernel) throw new Error(`composite kernel needs '${name}', which is not registered for backend '${this.backendName}'`);
    // Concat and Pack take their inputs as an array, like the engine passes them.
    const out = kernel.kernelFunc({ inputs: inputs as Record<string, TensorInfo>, attrs, backend: this.backend });
    const result = Array.isArray(out) ? out[0] : out;
    if (!result) throw new Error(`kernel '${name}' returned no output`);
    this.owned.push(result);
    return result;
  }

  /** Takes ownership of a result made outside run() (e.g. by a replaced kernel's original function). */
  adopt(info: TensorInfo): TensorInfo {
    this.owned.push(info);
    return info;
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  /** Pads (positive amounts) or crops (negative amounts) each axis with zeros. */
  padOrCrop(x: TensorInfo, amounts: Array<[number, number]>): TensorInfo {
    let current = x;
    if (amounts.some(([before, after]) => before < 0 || after < 0)) {
      const begin = amounts.map(([before]) => Math.max(0, -before));
      const size = amounts.map(([before, after], axis) => (current.shape[axis] ?? 0) - Math.max(0, -before) - Math.max(0, -after));
      if (size.some((s) => s <= 0)) throw new Error(`padOrCrop: cropping [${JSON.stringify(amounts)}] leaves nothing of shape [${x.shape.join(',')}]`);
      current = this.run('Slice', { x: current }, { begin, size });
    }
    if (amounts.some(([before, after]) => before > 0 || after > 0)) {
      const paddings = amounts.map(([before, after]) => [Math.max(0, before), Math.max(0, after)]);
      current = this.run('PadV2', { x: current }, { paddings, constantValue: 0 });
    }
    return current;
  }

  /**
   * Frees every owned intermediate except `keep`, which passes to the caller
   * (the engine, when it is a kernel's output).
   */
  release(keep?: TensorInfo): void {
    for (const info of this.owned) {
      if (info !== keep) this.backend.disposeData(info.dataId);
    }
    this.owned.length = 0;
  }
}

/**
 * Runs `body` with a fresh KernelCalls and returns its result, freeing every
 * intermediate even when the body throws.
 */
export function composite(backend: KernelBackend, backendName: string, body: (k: KernelCalls) => TensorInfo): TensorInfo {
  const calls = new KernelCalls(backend, backendName);
  let result: TensorInfo | undefined;
  try {
    result = body(calls);
    return result;
  } finally {
    calls.release(result);
  }
}
