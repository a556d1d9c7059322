/**
 * runs/* through the dispatcher every transport uses: config problems come
 * back as one invalid_request listing each of them, unknown runs as
 * not_found, and a launched run can be listed, followed and cancelled.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { closeServices, createServiceContext, createServices, dispatch } from '../../../main/services';
import { createMemorySettingsStore } from '../../../main/services/settingsStore';
import type { RunEvent, RunSummary } from '../../../shared/api';
import { tempDataDir } from './runTestHelpers';

describe('runs service', () => {
  const home = tempDataDir('runs-service');
  const ctx = createServiceContext({ transport: 'server', appVersion: '0.1.0', settings: createMemorySettingsStore(), env: { UMEDPT_HOME: home } });
  const services = createServices(ctx);
  afterAll(async () => {
    await closeServices(ctx);
    rmSync(home, { recursive: true, force: true });
  });

  it('answers bad configs with every problem, and unknown runs with not_found', async () => {
    const problems = await dispatch(services, 'runs/validate', { config: { model: { inputSize: 48 }, tasks: [{ name: 't', kind: 'detection', source: { kind: 'catalog', datasetId: 5 } }] } });
    expect(problems).toEqual({ ok: true, value: { problems: [expect.objectContaining({ path: 'epochs' }), expect.objectContaining({ path: 'model.inputSize' })] } });

    const unknownDataset = await dispatch(services, 'runs/launch', { config: { steps: 1, tasks: [{ name: 't', kind: 'detection', source: { kind: 'catalog', datasetId: 5 } }] } });
    expect(unknownDataset).toEqual({ ok: false, error: { code: 'invalid_request', message: expect.stringContaining('task "t": unknown dataset 5') } });

    expect(await dispatch(services, 'runs/get', { runId: 'run-nope' })).toEqual({ ok: false, error: { code: 'not_found', message: 'no run with id run-nope' } });
    expect(await dispatch(services, 'runs/list', {})).toEqual({ ok: true, value: [] });
  });

  it('launches, streams runs/event and cancels', async () => {
    const events: RunEvent[] = [];
    const firstStep = new Promise<void>((resolve) =>
      ctx.events.subscribe((m) => {
        if (m.event !== 'runs/event') return;
        events.push(m.payload as RunEvent);
        if ((m.payload as RunEvent).type === 'step') resolve();
      }),
    );
    const task = { name: 'c', kind: 'classification', source: { kind: 'synthetic', variant: 'cell-type-classification', counts: { train: 8, val: 4, test: 4 } }, batchSize: 4 };
    const launched = await dispatch(services, 'runs/launch', { config: { steps: 100, model: { inputSize: 32, squeezerWidth: 16 }, tasks: [task] } });
    expect(launched.ok).toBe(true);
    const run = (launched as { value: RunSummary }).value;
    expect(run.state).toBe('running');
    await firstStep;
    const cancelled = await dispatch(services, 'runs/cancel', { runId: run.id });
    expect(cancelled.ok).toBe(true);
    await new Promise<void>((resolve) => {
      const poll = setInterval(async () => {
        const got = await dispatch(services, 'runs/get', { runId: run.id });
        if (got.ok && (got.value as RunSummary).state === 'cancelled') {
          clearInterval(poll);
          resolve();
        }
      }, 200);
    });
    const again = await dispatch(services, 'runs/cancel', { runId: run.id });
    expect(again).toEqual({ ok: false, error: { code: 'conflict', message: `run ${run.id} is already cancelled` } });
    const history = await dispatch(services, 'runs/metrics', { runId: run.id, types: ['state'] });
    expect(history.ok && (history.value as { events: RunEvent[] }).events.map((e) => (e.type === 'state' ? e.state : ''))).toEqual(['queued', 'running', 'cancelled']);
    expect(events.some((e) => e.type === 'started' && e.runId === run.id)).toBe(true);
  });
});
