/**
 * Registers tfjs's webgpu backend on an adapter the engine chose. tfjs-backend-
 * webgpu registers itself only when `navigator.gpu` exists at import, and then
 * takes whatever adapter that returns; registering the factory here instead
 * keeps the choice (hardware first, software only when forced) with the engine.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DawnAdapter } from './webgpuAdapter';

/** The device limits tfjs-backend-webgpu asks for: the adapter's own, so large tensors fit. */
function deviceDescriptor(adapter: DawnAdapter): object {
  const names = ['maxComputeWorkgroupStorageSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupSizeX', 'maxComputeInvocationsPerWorkgroup'];
  const requiredLimits = Object.fromEntries(names.filter((n) => adapter.limits[n] !== undefined).map((n) => [n, adapter.limits[n]]));
  const requiredFeatures = ['timestamp-query'].filter((f) => adapter.features.has(f));
  return { requiredFeatures, requiredLimits };
}

/**
 * WebGPUBackend checks `navigator.gpu` exists (Node has no navigator before
 * v21); in Node this is a stand-in that hands out the chosen adapter.
 */
function ensureNavigatorGpu(adapter: DawnAdapter): void {
  const holder = globalThis as { navigator?: { gpu?: unknown } };
  if (holder.navigator?.gpu) return;
  const gpu = { requestAdapter: async () => adapter, getPreferredCanvasFormat: () => 'rgba8unorm' };
  if (holder.navigator) Object.defineProperty(holder.navigator, 'gpu', { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
}

/** Starts tfjs's webgpu backend on the adapter; true when tf.setBackend('webgpu') succeeded. */
export async function startWebgpuBackend(adapter: DawnAdapter): Promise<boolean> {
  if (!tf.engine().registry.webgpu) {
    ensureNavigatorGpu(adapter);
    const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
    if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
    tf.registerBackend('webgpu', async () => {
      const device = (await adapter.requestDevice(deviceDescriptor(adapter))) as ConstructorParameters<typeof WebGPUBackend>[0];
      return new WebGPUBackend(device, adapter.info as unknown as ConstructorParameters<typeof WebGPUBackend>[1]);
    }, 0);
  }
  return tf.setBackend('webgpu');
}
