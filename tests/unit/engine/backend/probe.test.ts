/**
 * The static probe (umedpt info, system/info) walks the automatic order of
 * shared/backendChoice.ts over its checks and the adapter found: fake
 * adapters here, the real package checks of this machine.
 */
import { describe, expect, it } from 'vitest';
import { probeBackends, unavailableReason } from '../../../../main/engine/backend/probe';
import type { GpuAdapterDescription } from '../../../../shared/api';

const limits = { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30, maxComputeWorkgroupStorageSize: 32768, maxComputeInvocationsPerWorkgroup: 1024 };
const adapter = (software: boolean, description: string): GpuAdapterDescription => ({ vendor: 'v', architecture: 'a', device: '', description, software, via: 'dawn-node', softwareDriver: null, timestampQuery: false, limits });

describe('probeBackends', () => {
  it('selects webgpu on a hardware adapter where tensorflow-gpu is unavailable, never on a software one unless forced', (ctx) => {
    if (unavailableReason('webgpu') !== null) return ctx.skip(`webgpu cannot load here at all: ${unavailableReason('webgpu')}`);
    if (unavailableReason('tensorflow-gpu') === null) return ctx.skip('tensorflow-gpu is usable here and ranks first');
    const onGpu = probeBackends(null, { description: adapter(false, 'NVIDIA GeForce RTX 4090'), reason: null });
    expect(onGpu.selected).toBe('webgpu');
    expect(onGpu.reason).toBe('automatic: first usable in order tensorflow-gpu > webgpu (hardware adapter) > tensorflow > wasm > cpu');

    const onSwiftShader = probeBackends(null, { description: adapter(true, 'SwiftShader driver 5.0.0'), reason: null });
    expect(['tensorflow', 'wasm']).toContain(onSwiftShader.selected);
    const webgpu = onSwiftShader.backends.find((b) => b.name === 'webgpu')!;
    expect(webgpu).toMatchObject({ available: false, reason: 'only a software adapter (SwiftShader driver 5.0.0); a software adapter is used only when webgpu is forced' });
    expect(onSwiftShader.results.webgpu).toEqual({ usable: true, adapter: { software: true, description: 'SwiftShader driver 5.0.0' } });

    const forced = probeBackends('webgpu', { description: adapter(true, 'SwiftShader driver 5.0.0'), reason: null }, 'setting');
    expect(forced).toMatchObject({ selected: 'webgpu', reason: 'forced to webgpu by the setting "Default engine backend"' });
  });

  it('a forced backend that cannot load falls back to the automatic walk, naming who forced it', () => {
    const noAdapter = probeBackends('webgpu', { description: null, reason: 'no WebGPU adapter: no GPU with a Vulkan driver' }, 'environment');
    expect(noAdapter.selected).not.toBe('webgpu');
    expect(noAdapter.reason).toMatch(/^forced webgpu \(by UMEDPT_BACKEND\) is unavailable \(.+\); fell back to \S+, automatic: first usable in order/);
  });
});
