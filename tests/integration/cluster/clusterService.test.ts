/**
 * "Run on: this machine, PyTorch trainer" through the dispatcher every
 * transport uses: cluster/launch registers the run at once, bundles it in a
 * tool process (its progress in the run's log), trains it with 2 processes
 * and streams the same runs/event values as an app run; runs/cancel stops it
 * with a checkpoint. Skips with the reason where no Python has torch.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeServices, createServiceContext, createServices, dispatch } from '../../../main/services';
import { createMemorySettingsStore } from '../../../main/services/settingsStore';
import type { RunEvent, RunSummary } from '../../../shared/api';
import { tempDataDir } from '../runs/runTestHelpers';
import { pythonOrReason } from './clusterTestHelpers';
import { startLocalSlurm } from './localSlurm';

const { python, reason } = pythonOrReason();
if (!python) console.log(`skipping the cluster service tests: ${reason}`);

const task = (name: string, kind: string, variant: string) => ({ name, kind, source: { kind: 'synthetic', variant, counts: { train: 8, val: 4, test: 0 } }, batchSize: 4 });
const tasks = [task('seg', 'segmentation', 'cell-segmentation'), task('cls', 'classification', 'cell-type-classification')];

describe.skipIf(!python)('cluster service', () => {
  const home = tempDataDir('cluster-service');
  const ctx = createServiceContext({ transport: 'server', appVersion: '0.1.0', settings: createMemorySettingsStore(), env: { UMEDPT_HOME: home } });
  const services = createServices(ctx);
  const events: RunEvent[] = [];
  ctx.events.subscribe((m) => {
    if (m.event === 'runs/event') events.push(m.payload as RunEvent);
  });
  afterAll(async () => {
    await closeServices(ctx);
    rmSync(home, { recursive: true, force: true });
  });

  const waitFor = (runId: string, states: string[]) =>
    new Promise<RunSummary>((resolve) => {
      const poll = setInterval(async () => {
        const got = await dispatch(services, 'runs/get', { runId });
        if (got.ok && states.includes((got.value as RunSummary).state)) {
          clearInterval(poll);
          resolve(got.value as RunSummary);
        }
      }, 300);
    });

  // runs/get can say completed (the trainer's status file) before the service's follower, polling
  // metrics.jsonl every 500 ms, has relayed the last lines: the stream ends with its own state event
  const streamEnded = (runId: string) =>
    new Promise<void>((resolve, reject) => {
      const since = Date.now();
      const poll = setInterval(() => {
        if (events.some((e) => e.runId === runId && e.type === 'state' && e.state === 'completed')) {
          clearInterval(poll);
          resolve();
        } else if (Date.now() - since > 30_000) {
          clearInterval(poll);
          reject(new Error(`run ${runId}: no 'completed' state event on the stream within 30 s of the run ending`));
        }
      }, 100);
    });

  it('names the Python it uses, launches, streams events and ends as a listed run with metrics', async () => {
    const info = await dispatch(services, 'cluster/python', {});
    expect(info).toMatchObject({ ok: true, value: { python: python!.python } });
    const launched = await dispatch(services, 'cluster/launch', { config: { steps: 4, model: { inputSize: 32, squeezerWidth: 16 }, tasks, augmentation: { horizontalFlip: false, verticalFlip: false } }, nproc: 2, threads: 1 });
    expect(launched.ok).toBe(true);
    const run = (launched as { value: RunSummary }).value;
    expect(run.state).toBe('running');
    const done = await waitFor(run.id, ['completed', 'failed', 'interrupted']);
    expect(done.state, JSON.stringify(events.filter((e) => e.runId === run.id && (e.type === 'log' || e.type === 'state')))).toBe('completed');
    await streamEnded(run.id);
    const mine = events.filter((e) => e.runId === run.id);
    expect(mine.some((e) => e.type === 'log' && e.message.startsWith('bundle written'))).toBe(true);
    expect(mine.find((e) => e.type === 'started')).toMatchObject({ backend: 'pytorch-cpu', totalSteps: 4 });
    expect(mine.filter((e) => e.type === 'step')).toHaveLength(4);
    expect(mine.some((e) => e.type === 'validation')).toBe(true);
    expect(done.finalMetrics?.seg?.meanDice).toBeGreaterThanOrEqual(0);
    expect(done.progress).toMatchObject({ step: 4, totalSteps: 4 });
    const page = await dispatch(services, 'runs/metrics', { runId: run.id, types: ['validation'] });
    expect(page.ok && (page.value as { events: RunEvent[] }).events.length).toBeGreaterThan(0);
  }, 300_000);

  it('runs/cancel stops a PyTorch run after its step, with a checkpoint', async () => {
    const launched = await dispatch(services, 'cluster/launch', { config: { steps: 500, model: { inputSize: 32, squeezerWidth: 16 }, tasks }, nproc: 1, threads: 1 });
    const run = (launched as { value: RunSummary }).value;
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (events.some((e) => e.runId === run.id && e.type === 'step')) {
          clearInterval(poll);
          resolve();
        }
      }, 200);
    });
    expect((await dispatch(services, 'runs/cancel', { runId: run.id })).ok).toBe(true);
    const done = await waitFor(run.id, ['cancelled', 'failed', 'interrupted', 'completed']);
    expect(done.state).toBe('cancelled');
    expect(done.progress.step).toBeLessThan(500);
    expect(existsSync(path.join(home, 'runs', run.id, 'checkpoints', 'latest', 'checkpoint.json'))).toBe(true);
  }, 300_000);

  it('saves a Slurm profile and launches on it (a single-node Slurm started on localhost)', async (testCtx) => {
    const { slurm, reason: slurmReason } = await startLocalSlurm();
    if (!slurm) {
      console.log(`skipping the Slurm profile launch: ${slurmReason}`);
      return testCtx.skip();
    }
    try {
      const bad = await dispatch(services, 'cluster/saveProfile', { profile: { name: '', kind: 'slurm' } });
      expect(bad.ok).toBe(false);
      const saved = await dispatch(services, 'cluster/saveProfile', { profile: { name: 'local slurm', kind: 'slurm', slurmConf: slurm.conf, python: python!.python, cpusPerTask: 1 } });
      expect(saved).toMatchObject({ ok: true, value: [{ name: 'local slurm', kind: 'slurm', nodes: 1, gpusPerNode: 0 }] });
      const launched = await dispatch(services, 'cluster/launch', { config: { steps: 2, model: { inputSize: 32, squeezerWidth: 16 }, tasks }, on: 'profile', profile: 'local slurm', nproc: 2, threads: 1 });
      expect(launched.ok).toBe(true);
      const run = (launched as { value: RunSummary }).value;
      const done = await waitFor(run.id, ['completed', 'failed', 'interrupted', 'cancelled']);
      expect(done.state, JSON.stringify(events.filter((e) => e.runId === run.id && (e.type === 'log' || e.type === 'state')))).toBe('completed');
      expect(done.backend).toBe('pytorch-cpu');
      expect(existsSync(path.join(home, 'runs', run.id, 'job.sbatch'))).toBe(true);
      expect(await dispatch(services, 'cluster/deleteProfile', { name: 'local slurm' })).toEqual({ ok: true, value: [] });
    } finally {
      slurm.stop();
    }
  }, 300_000);
});
