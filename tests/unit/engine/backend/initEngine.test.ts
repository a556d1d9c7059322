/**
 * initEngine picks the first backend that loads, honours a forced choice
 * (option or UMEDPT_BACKEND), falls back with a reason when the forced one
 * cannot load, and gives a one-line reason for every backend not used.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { backendFromEnvironment, initEngine } from '../../../../main/engine/backend/initEngine';
import { unavailableReason } from '../../../../main/engine/backend/probe';
import { backendNames } from '../../../../shared/api/system';
import { findWebgpuAdapter } from '../../../../main/engine/backend/webgpuAdapter';
import { backendSettingVariable } from '../../../../shared/backendChoice';

describe('initEngine', () => {
  it('selects the best backend that loads and explains every other one', async () => {
    const init = await initEngine({ forced: null });
    // webgpu counts only on a hardware adapter when nothing is forced
    const hardwareAdapter = (await findWebgpuAdapter({ allowSoftware: false })).adapter !== null;
    const expected = backendNames.find((b) => unavailableReason(b) === null && (b !== 'webgpu' || hardwareAdapter));
    expect(init.backend).toBe(expected);
    expect(init.source).toBe('automatic');
    expect(init.reason).toMatch(/^automatic: first usable in order tensorflow-gpu > webgpu \(hardware adapter\) > tensorflow > wasm > cpu/);
    // this machine has no hardware adapter (SwiftShader at most): automatic is tensorflow (CPU) or wasm, never webgpu
    if (!hardwareAdapter && unavailableReason('tensorflow-gpu') !== null) expect(['tensorflow', 'wasm']).toContain(init.backend);
    // the walk's input: every backend tried up to the chosen one, the chosen one usable
    expect(init.probes[init.backend]).toMatchObject({ usable: true });
    for (const name of backendNames.slice(0, backendNames.indexOf(init.backend))) expect(init.probes[name]).toMatchObject({ usable: false });
    expect(tf.getBackend()).toBe(init.backend === 'tensorflow-gpu' ? 'tensorflow' : init.backend);
    expect(init.skipped.map((s) => s.name).sort()).toEqual(backendNames.filter((b) => b !== init.backend).sort());
    for (const s of init.skipped) expect(s.reason.length).toBeGreaterThan(5);
    if (unavailableReason('tensorflow') !== null) {
      expect(init.skipped.find((s) => s.name === 'tensorflow')!.reason).toMatch(/not installed|libtensorflow/);
    }
  });

  it('honours a forced backend, and registers the wasm training kernels with wasm', async () => {
    const cpu = await initEngine({ forced: 'cpu' });
    expect(cpu.backend).toBe('cpu');
    expect(cpu.reason).toBe("forced to cpu by the run's config");
    expect(cpu.source).toBe('config');
    expect(tf.getBackend()).toBe('cpu');
    const wasm = await initEngine({ forced: 'wasm', threads: 2 });
    expect(wasm.backend).toBe('wasm');
    expect(wasm.reason).toMatch(/^forced to wasm by the run's config \(wasm: \d+ threads?/);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it('falls back in order when the forced backend cannot load, saying why', async () => {
    if (unavailableReason('tensorflow') === null) return; // tfjs-node present: nothing to fall back from
    const init = await initEngine({ forced: 'tensorflow' });
    expect(init.reason).toMatch(/^forced tensorflow \(by the run's config\) is unavailable \(.*\); fell back to \S+, automatic: first usable/);
    expect(init.skipped.find((s) => s.name === 'tensorflow')!.reason).toBe(unavailableReason('tensorflow'));
  });

  it('never loads a backend the job cannot use: forced, it falls back with that reason', async () => {
    const unsupported = { webgpu: 'this job reads tensors synchronously' };
    const init = await initEngine({ request: { forced: 'webgpu', source: 'setting' }, unsupported });
    expect(init.backend).not.toBe('webgpu');
    expect(init.reason).toMatch(/^forced webgpu \(by the setting "Default engine backend"\) is unavailable \(this job reads tensors synchronously\); fell back to /);
    expect(init.skipped.find((s) => s.name === 'webgpu')!.reason).toBe('this job reads tensors synchronously');
    expect(init.probes.webgpu).toEqual({ usable: false, reason: 'this job reads tensors synchronously' });
  });

  it('reads UMEDPT_BACKEND when no option is given, and rejects unknown values', () => {
    expect(backendFromEnvironment({ UMEDPT_BACKEND: 'cpu' })).toBe('cpu');
    expect(backendFromEnvironment({ UMEDPT_BACKEND: ' wasm ' })).toBe('wasm');
    expect(backendFromEnvironment({ UMEDPT_BACKEND: 'auto' })).toBeNull();
    expect(backendFromEnvironment({})).toBeNull();
    expect(() => backendFromEnvironment({ UMEDPT_BACKEND: 'cuda' })).toThrow(/UMEDPT_BACKEND=cuda is not one of auto, tensorflow-gpu, webgpu, tensorflow, wasm, cpu/);
  });

  it('uses UMEDPT_BACKEND, then the setting passed by the launcher, when options.forced is undefined', async () => {
    const saved = { env: process.env.UMEDPT_BACKEND, setting: process.env[backendSettingVariable] };
    process.env.UMEDPT_BACKEND = 'cpu';
    process.env[backendSettingVariable] = 'wasm';
    try {
      expect(await initEngine()).toMatchObject({ backend: 'cpu', source: 'environment', reason: 'forced to cpu by UMEDPT_BACKEND' });
      delete process.env.UMEDPT_BACKEND;
      expect(await initEngine()).toMatchObject({ backend: 'wasm', source: 'setting', reason: expect.stringMatching(/^forced to wasm by the setting "Default engine backend"/) });
      // a resolved request wins over both
      expect(await initEngine({ request: { forced: 'cpu', source: 'config' } })).toMatchObject({ backend: 'cpu', source: 'config' });
    } finally {
      for (const [name, value] of [['UMEDPT_BACKEND', saved.env], [backendSettingVariable, saved.setting]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

describe('initEngine and webgpu', () => {
  it('takes a software adapter only when webgpu is forced, and names the adapter', async (ctx) => {
    const search = await findWebgpuAdapter({ allowSoftware: true });
    if (!search.adapter || !search.description) return ctx.skip(`no WebGPU adapter here: ${search.reason}`);
    const auto = await initEngine({ forced: null });
    if (search.description.software) {
      expect(auto.backend).not.toBe('webgpu');
      expect(auto.skipped.find((s) => s.name === 'webgpu')!.reason).toMatch(/used only when webgpu is forced/);
    } else expect(auto.backend === 'webgpu' || auto.backend === 'tensorflow-gpu').toBe(true);
    const forced = await initEngine({ forced: 'webgpu' });
    expect(forced.backend).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    expect(forced.reason).toMatch(/^forced to webgpu by the run's config \(adapter: .+; (software|hardware); max buffer \d+ MiB/);
    expect(forced.adapter?.software).toBe(search.description.software);
    await tf.setBackend('cpu');
  }, 120_000);
});
