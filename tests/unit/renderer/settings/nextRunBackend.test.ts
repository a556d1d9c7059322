/**
 * What the System page says the next run trains on. Outside the desktop app:
 * system/info's answer. In the desktop app the automatic walk goes on to
 * webgpu (Chromium's, in the engine window) when nothing ranked above it
 * loads and Chromium offers a hardware adapter; never on a software one.
 */
import { describe, expect, it } from 'vitest';
import { lookUpChromiumAdapter, nextRunBackend } from '../../../../renderer/src/settings/nextRunBackend';

type Info = Parameters<typeof nextRunBackend>[0];
const electronWebgpu = "Dawn's Node binding cannot run in Electron";
const desktop = (over: Partial<Info> = {}): Info => ({
  selectedBackend: 'wasm',
  selectionReason: 'automatic: first usable in order tensorflow-gpu > webgpu (hardware adapter) > tensorflow > wasm > cpu',
  forcedBackend: null,
  forcedBy: null,
  probes: { 'tensorflow-gpu': { usable: false, reason: 'not installed' }, webgpu: { usable: false, reason: electronWebgpu }, tensorflow: { usable: false, reason: 'not installed' }, wasm: { usable: true }, cpu: { usable: true } },
  webgpuVia: 'engine-window',
  ...over,
});
const rtx = { adapter: { software: false, description: 'nvidia ada NVIDIA GeForce RTX 4090' }, reason: '' };
const swiftShader = { adapter: { software: true, description: 'google swiftshader SwiftShader Device (Subzero)' }, reason: '' };

describe('nextRunBackend', () => {
  it('outside the desktop app it is what system/info selected', () => {
    const info = desktop({ webgpuVia: 'dawn-node' });
    expect(nextRunBackend(info, rtx)).toEqual({ backend: 'wasm', reason: info.selectionReason, pending: false });
  });

  it('desktop, automatic: webgpu on a hardware adapter, the local choice on a software one, pending before the look', () => {
    expect(nextRunBackend(desktop(), rtx)).toEqual({
      backend: 'webgpu',
      reason: "automatic: first usable in order tensorflow-gpu > webgpu (hardware adapter) > tensorflow > wasm > cpu; Chromium's WebGPU in the engine window (adapter: nvidia ada NVIDIA GeForce RTX 4090, hardware)",
      pending: false,
    });
    const onSoftware = nextRunBackend(desktop(), swiftShader);
    expect(onSoftware.backend).toBe('wasm');
    expect(onSoftware.reason).toContain('webgpu in the engine window not used: only a software adapter (google swiftshader SwiftShader Device (Subzero))');
    expect(nextRunBackend(desktop(), { adapter: null, reason: 'Chromium offers no WebGPU adapter' }).reason).toContain('not used: Chromium offers no WebGPU adapter');
    expect(nextRunBackend(desktop(), null)).toMatchObject({ backend: 'wasm', pending: true });
  });

  it('desktop: tensorflow-gpu or a forced backend that loads wins without asking Chromium; forced webgpu takes the window', () => {
    const gpu = desktop({ selectedBackend: 'tensorflow-gpu', selectionReason: 'automatic: ...', probes: { 'tensorflow-gpu': { usable: true }, webgpu: { usable: false, reason: electronWebgpu } } });
    expect(nextRunBackend(gpu, rtx)).toMatchObject({ backend: 'tensorflow-gpu', pending: false });
    expect(nextRunBackend(desktop({ forcedBackend: 'cpu', forcedBy: 'setting', selectedBackend: 'cpu', selectionReason: 'forced to cpu by the setting' }), rtx)).toMatchObject({ backend: 'cpu' });
    const forcedWebgpu = desktop({ forcedBackend: 'webgpu', forcedBy: 'setting', selectionReason: 'forced webgpu (by the setting) is unavailable (...); fell back to wasm' });
    expect(nextRunBackend(forcedWebgpu, swiftShader)).toMatchObject({ backend: 'webgpu', reason: expect.stringMatching(/^forced to webgpu by the setting "Default engine backend"; .*software\)$/) });
    expect(nextRunBackend(forcedWebgpu, { adapter: null, reason: 'Chromium offers no WebGPU adapter' })).toMatchObject({ backend: 'wasm', reason: expect.stringContaining('the run falls back to wasm') });
  });
});

describe('lookUpChromiumAdapter', () => {
  it('names the adapter and tells software (fallback flag or a software name) from hardware', async () => {
    const gpu = (info: Record<string, unknown> | null) => ({ requestAdapter: async () => (info ? { info } : null) });
    expect(await lookUpChromiumAdapter(gpu({ vendor: 'nvidia', architecture: 'ada', description: 'NVIDIA GeForce RTX 4090' }))).toEqual(rtx);
    expect((await lookUpChromiumAdapter(gpu({ vendor: 'google', architecture: 'swiftshader', device: 'SwiftShader Device (Subzero)' }))).adapter?.software).toBe(true);
    expect((await lookUpChromiumAdapter(gpu({ vendor: 'intel', architecture: 'gen-12', isFallbackAdapter: true }))).adapter?.software).toBe(true);
    expect(await lookUpChromiumAdapter(gpu(null))).toEqual({ adapter: null, reason: 'Chromium offers no WebGPU adapter' });
    expect((await lookUpChromiumAdapter(undefined)).reason).toMatch(/navigator.gpu is missing/);
  });
});
