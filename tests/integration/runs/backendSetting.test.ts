/**
 * The "Default engine backend" setting reaches the engine processes the
 * services start (real child processes, tiny synthetic runs of 2 steps):
 * each run records the backend it trained on and who chose it, with the
 * precedence run config > UMEDPT_BACKEND > the setting > automatic; a study
 * trains on the setting's backend too. Automatic on this machine (no
 * hardware WebGPU adapter, no tfjs-node-gpu) is never webgpu.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { closeServices, createServiceContext, createServices, dispatch } from '../../../main/services';
import { createMemorySettingsStore } from '../../../main/services/settingsStore';
import { findWebgpuAdapter } from '../../../main/engine/backend/webgpuAdapter';
import { unavailableReason } from '../../../main/engine/backend/probe';
import type { EvalResults, EvalSummary, RunSummary, Settings, SystemInfo } from '../../../shared/api';
import type { RunConfigInput } from '../../../shared/runConfig';
import { tempDataDir } from './runTestHelpers';

const task = { name: 'c', kind: 'classification', source: { kind: 'synthetic', variant: 'cell-type-classification', counts: { train: 8, val: 4, test: 4 } }, batchSize: 4 } as const;
const tinyRun = (over: Partial<RunConfigInput> = {}): RunConfigInput => ({ name: 'backend', steps: 2, model: { inputSize: 32, squeezerWidth: 16 }, tasks: [task], ...over });

describe('the backend setting reaches every engine process', () => {
  const home = tempDataDir('backend-setting');
  const settings = createMemorySettingsStore({ backend: 'cpu' });
  const ctx = createServiceContext({ transport: 'server', appVersion: '0.1.0', settings, env: { UMEDPT_HOME: home } });
  const services = createServices(ctx);
  // the workers inherit this process's environment: no UMEDPT_BACKEND unless a test sets one
  const saved = process.env.UMEDPT_BACKEND;
  beforeAll(() => {
    delete process.env.UMEDPT_BACKEND;
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.UMEDPT_BACKEND;
    else process.env.UMEDPT_BACKEND = saved;
    await closeServices(ctx);
    rmSync(home, { recursive: true, force: true });
  });

  const call = async <T>(action: string, payload: unknown): Promise<T> => {
    const answer = await dispatch(services, action, payload);
    if (!answer.ok) throw new Error(`${action}: ${answer.error.message}`);
    return answer.value as T;
  };

  /** launches a run and waits until it ended */
  async function runToEnd(config: RunConfigInput): Promise<RunSummary> {
    const launched = await call<RunSummary>('runs/launch', { config });
    for (;;) {
      const run = await call<RunSummary>('runs/get', { runId: launched.id });
      if (!['queued', 'running'].includes(run.state)) return run;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  it('setting cpu gives cpu, setting wasm gives wasm; each run records that the setting chose it', async () => {
    const onCpu = await runToEnd(tinyRun());
    expect(onCpu).toMatchObject({ state: 'completed', backend: 'cpu', backendChoice: { source: 'setting', reason: 'forced to cpu by the setting "Default engine backend"' } });

    await call<Settings>('settings/set', { backend: 'wasm' });
    const info = await call<SystemInfo>('system/info', {});
    expect(info).toMatchObject({ selectedBackend: 'wasm', forcedBy: 'setting' });
    const onWasm = await runToEnd(tinyRun());
    expect(onWasm).toMatchObject({ state: 'completed', backend: 'wasm', backendChoice: { source: 'setting' } });
    expect(onWasm.backendChoice!.reason).toMatch(/^forced to wasm by the setting "Default engine backend" \(wasm: \d+ threads?/);
  }, 300_000);

  it("the run's own backend beats UMEDPT_BACKEND, which beats the setting", async () => {
    await call<Settings>('settings/set', { backend: 'wasm' });
    const own = await runToEnd(tinyRun({ backend: 'cpu' }));
    expect(own).toMatchObject({ state: 'completed', backend: 'cpu', backendChoice: { source: 'config', reason: "forced to cpu by the run's config" } });
    process.env.UMEDPT_BACKEND = 'cpu';
    try {
      const fromEnvironment = await runToEnd(tinyRun());
      expect(fromEnvironment).toMatchObject({ state: 'completed', backend: 'cpu', backendChoice: { source: 'environment', reason: 'forced to cpu by UMEDPT_BACKEND' } });
    } finally {
      delete process.env.UMEDPT_BACKEND;
    }
  }, 300_000);

  it('automatic here is tensorflow (CPU) or wasm, never webgpu on the software adapter, and the System info says the same', async (testCtx) => {
    const hardware = (await findWebgpuAdapter({ allowSoftware: false, restoreEnvironment: true })).adapter;
    if (hardware || unavailableReason('tensorflow-gpu') === null) return testCtx.skip('this machine has a hardware WebGPU adapter or tensorflow-gpu');
    await call<Settings>('settings/set', { backend: 'auto' });
    const info = await call<SystemInfo>('system/info', {});
    const run = await runToEnd(tinyRun());
    expect(run.state).toBe('completed');
    expect(['tensorflow', 'wasm']).toContain(run.backend);
    expect(run.backendChoice).toMatchObject({ source: 'automatic', reason: expect.stringMatching(/^automatic: first usable in order tensorflow-gpu > webgpu \(hardware adapter\) > tensorflow > wasm > cpu/) });
    expect(info).toMatchObject({ selectedBackend: run.backend, forcedBy: null });
  }, 300_000);

  it('a study trains on the setting too, except webgpu, which it cannot use (synchronous reads)', async () => {
    await call<Settings>('settings/set', { backend: 'cpu' });
    const config = {
      name: 'backend study',
      encoders: [{ kind: 'random', squeezerWidth: 8 }],
      task: { kind: 'classification', source: { kind: 'synthetic', variant: 'cell-count-classification', counts: { train: 8, test: 4 } } },
      fractions: [100],
      seeds: 1,
      inputSize: 32,
      linearEpochs: 2,
    };
    /** runs a study to its end; the backend its results record */
    const studyBackend = async (): Promise<string> => {
      const launched = await call<EvalSummary>('eval/launch', { config });
      let study = launched;
      while (['queued', 'running'].includes(study.state)) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        study = await call<EvalSummary>('eval/get', { id: launched.id });
      }
      expect(study.state).toBe('completed');
      const results = await call<EvalResults>('eval/results', { id: launched.id });
      return (JSON.parse(readFileSync(results.files!.json, 'utf8')) as { backend: string }).backend;
    };
    expect(await studyBackend()).toBe('cpu');
    await call<Settings>('settings/set', { backend: 'webgpu' });
    expect(['tensorflow-gpu', 'tensorflow', 'wasm']).toContain(await studyBackend());
  }, 300_000);
});
