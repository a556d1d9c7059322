/**
 * The one home of backend choice: the precedence of who asks (the run's
 * config > UMEDPT_BACKEND > the setting > automatic) and the automatic order
 * over fake probe results (tensorflow-gpu > webgpu on a hardware adapter >
 * tensorflow > wasm > cpu), walked lazily.
 */
import { describe, expect, it } from 'vitest';
import { automaticBackend, backendRequestFor, backendSettingVariable, resolveBackendRequest, type BackendProbeResult } from '../../../shared/backendChoice';
import type { BackendName } from '../../../shared/vocabulary';

const loads: BackendProbeResult = { usable: true };
const fails = (reason: string): BackendProbeResult => ({ usable: false, reason });
const hardware: BackendProbeResult = { usable: true, adapter: { software: false, description: 'NVIDIA GeForce RTX 4090' } };
const swiftShader: BackendProbeResult = { usable: true, adapter: { software: true, description: 'SwiftShader Device (Subzero)' } };

describe('resolveBackendRequest', () => {
  it("takes the run's config over UMEDPT_BACKEND over the setting over automatic", () => {
    expect(resolveBackendRequest({ config: 'cpu', environment: 'wasm', setting: 'tensorflow' })).toEqual({ forced: 'cpu', source: 'config' });
    expect(resolveBackendRequest({ config: 'auto', environment: 'wasm', setting: 'tensorflow' })).toEqual({ forced: 'wasm', source: 'environment' });
    expect(resolveBackendRequest({ config: 'auto', environment: ' auto ', setting: 'cpu' })).toEqual({ forced: 'cpu', source: 'setting' });
    expect(resolveBackendRequest({ config: 'auto', environment: '', setting: 'auto' })).toEqual({ forced: null, source: 'automatic' });
    expect(resolveBackendRequest({})).toEqual({ forced: null, source: 'automatic' });
  });

  it('names where an unknown value came from', () => {
    expect(() => resolveBackendRequest({ environment: 'cuda' })).toThrow('UMEDPT_BACKEND=cuda is not one of auto, tensorflow-gpu, webgpu, tensorflow, wasm, cpu');
    expect(() => resolveBackendRequest({ setting: 'metal' })).toThrow('the backend setting "metal" is not one of');
    // a config's own choice wins before a bad variable is even read
    expect(resolveBackendRequest({ config: 'cpu', environment: 'cuda' })).toEqual({ forced: 'cpu', source: 'config' });
  });

  it("reads a process's environment: UMEDPT_BACKEND, then the setting's variable", () => {
    expect(backendRequestFor('auto', { [backendSettingVariable]: 'wasm' })).toEqual({ forced: 'wasm', source: 'setting' });
    expect(backendRequestFor(null, { UMEDPT_BACKEND: 'cpu', [backendSettingVariable]: 'wasm' })).toEqual({ forced: 'cpu', source: 'environment' });
    expect(backendRequestFor('webgpu', { UMEDPT_BACKEND: 'cpu' })).toEqual({ forced: 'webgpu', source: 'config' });
  });
});

describe('automaticBackend', () => {
  const all = (over: Partial<Record<BackendName, BackendProbeResult>>): Partial<Record<BackendName, BackendProbeResult>> => ({
    'tensorflow-gpu': fails('CUDA 11.2 / cuDNN 8 libraries not found'),
    webgpu: fails('no WebGPU adapter'),
    tensorflow: fails('not installed'),
    wasm: loads,
    cpu: loads,
    ...over,
  });

  it('takes tensorflow-gpu first, before webgpu is even probed', () => {
    expect(automaticBackend({ 'tensorflow-gpu': loads })).toMatchObject({ kind: 'chosen', backend: 'tensorflow-gpu' });
    expect(automaticBackend(all({ 'tensorflow-gpu': loads, webgpu: hardware }))).toMatchObject({ kind: 'chosen', backend: 'tensorflow-gpu' });
  });

  it('takes webgpu on a hardware adapter where tensorflow-gpu did not load, over tensorflow and wasm', () => {
    const step = automaticBackend(all({ webgpu: hardware, tensorflow: loads }));
    expect(step).toEqual({ kind: 'chosen', backend: 'webgpu', reason: 'automatic: first usable in order tensorflow-gpu > webgpu (hardware adapter) > tensorflow > wasm > cpu' });
  });

  it('never takes a software adapter (SwiftShader, llvmpipe) automatically: tensorflow, else wasm, else cpu', () => {
    expect(automaticBackend(all({ webgpu: swiftShader, tensorflow: loads }))).toMatchObject({ kind: 'chosen', backend: 'tensorflow' });
    expect(automaticBackend(all({ webgpu: swiftShader }))).toMatchObject({ kind: 'chosen', backend: 'wasm' });
    expect(automaticBackend(all({ webgpu: { usable: true, adapter: { software: true, description: 'llvmpipe (LLVM 15.0.6, 256 bits)' } }, wasm: fails('no .wasm') }))).toMatchObject({ kind: 'chosen', backend: 'cpu' });
    // usable but with no adapter named is not a hardware adapter either
    expect(automaticBackend(all({ webgpu: { usable: true } }))).toMatchObject({ kind: 'chosen', backend: 'wasm' });
  });

  it('names the next backend to probe, best first, so callers load lazily', () => {
    expect(automaticBackend({})).toEqual({ kind: 'probe', backend: 'tensorflow-gpu' });
    expect(automaticBackend({ 'tensorflow-gpu': fails('x') })).toEqual({ kind: 'probe', backend: 'webgpu' });
    expect(automaticBackend({ 'tensorflow-gpu': fails('x'), webgpu: swiftShader })).toEqual({ kind: 'probe', backend: 'tensorflow' });
  });

  it('says why each failed when none is usable', () => {
    const step = automaticBackend(all({ wasm: fails('no .wasm'), cpu: fails('broken') }));
    expect(step.kind).toBe('none');
    expect(step.kind === 'none' && step.reasons.map((r) => `${r.name}: ${r.reason}`)).toEqual([
      'tensorflow-gpu: CUDA 11.2 / cuDNN 8 libraries not found',
      'webgpu: no WebGPU adapter',
      'tensorflow: not installed',
      'wasm: no .wasm',
      'cpu: broken',
    ]);
  });
});
