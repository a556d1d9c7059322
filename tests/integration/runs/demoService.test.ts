/**
 * demo/start, what "Try the demo" calls: the real samples shipped in
 * resources/samples imported once, a short run on their three tasks launched;
 * a second demo reuses the imported datasets.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { closeServices, createServiceContext, createServices, dispatch } from '../../../main/services';
import { createMemorySettingsStore } from '../../../main/services/settingsStore';
import type { DatasetSummary, DemoStarted, RunSummary } from '../../../shared/api';
import { tempDataDir } from './runTestHelpers';

describe('demo/start', () => {
  const home = tempDataDir('demo');
  const ctx = createServiceContext({ transport: 'server', appVersion: '0.1.0', settings: createMemorySettingsStore(), env: { UMEDPT_HOME: home } });
  const services = createServices(ctx);
  afterAll(async () => {
    await closeServices(ctx);
    rmSync(home, { recursive: true, force: true });
  });

  it('imports the three samples and launches a run on them, then reuses them', async () => {
    const first = await dispatch(services, 'demo/start', { steps: 2 });
    if (!first.ok) throw new Error(JSON.stringify(first.error));
    const started = first.value as DemoStarted;
    expect(started.run.tasks.map((t) => t.name).sort()).toEqual(['bccd-boxes', 'em-membranes', 'retina-grade']);
    const listed = (await dispatch(services, 'catalog/listDatasets', { includeDeleted: false })) as { ok: true; value: DatasetSummary[] };
    expect(listed.value.map((d) => d.kind).sort()).toEqual(['classification', 'detection', 'segmentation']);
    const done = await new Promise<RunSummary>((resolve) =>
      ctx.events.subscribe((m) => {
        const run = m.payload as RunSummary;
        if (m.event === 'runs/updated' && run.id === started.run.id && ['completed', 'failed'].includes(run.state)) resolve(run);
      }),
    );
    expect(done.error).toBeNull();
    expect(done.state).toBe('completed');
    expect(Object.keys(done.finalMetrics ?? {}).sort()).toEqual(['bccd-boxes', 'em-membranes', 'retina-grade']);
    // ISBI-2012's classes.json names membrane and cell, and neither is background: both scored
    expect(done.finalMetrics?.['em-membranes']).toHaveProperty('dice_membrane');

    const again = (await dispatch(services, 'demo/start', { steps: 1 })) as { ok: true; value: DemoStarted };
    expect(again.value.datasetIds).toEqual(started.datasetIds);
    await dispatch(services, 'runs/cancel', { runId: again.value.run.id });
  }, 300_000);
});
