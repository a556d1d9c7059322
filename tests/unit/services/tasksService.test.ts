import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeServices, createServiceContext, createServices, dispatch, type ServiceContext } from '../../../main/services';
import { createMemorySettingsStore } from '../../../main/services/settingsStore';
import { catalogOf } from '../../../main/services/catalogService';
import { createDataset } from '../../../main/catalog/datasetQueries';
import type { ApiEventMessage, TaskDefinition } from '../../../shared/api';

let ctx: ServiceContext | null = null;

/** Handlers may throw synchronously; make that a rejection. */
const attempt = <T>(call: () => T) => Promise.resolve().then(call);

function setup() {
  const home = mkdtempSync(path.join(os.tmpdir(), 'umedpt-tasks-'));
  ctx = createServiceContext({ transport: 'cli', appVersion: '1.0.0', settings: createMemorySettingsStore(), env: { UMEDPT_HOME: home } });
  const handlers = createServices(ctx);
  const datasetId = createDataset(catalogOf(ctx), { name: 'cells', format: 'image-folder', kind: 'classification', multiLabel: false, sourcePath: home, publisherSplit: false, options: {}, classes: ['a', 'b', 'c'] });
  const events: ApiEventMessage[] = [];
  ctx.events.subscribe((m) => events.push(m));
  return { ctx, handlers, datasetId, events, home };
}

afterEach(async () => {
  if (ctx) await closeServices(ctx);
  ctx = null;
});

const task = (datasetId: number, over: Partial<TaskDefinition> = {}): TaskDefinition => ({
  id: 't1',
  name: 'cell type',
  kind: 'classification',
  datasetId,
  classes: { a: 'a', b: 'b+c', c: 'b+c' },
  multiLabel: false,
  trainSplit: 'train',
  valSplit: 'val',
  maxTrainImages: 0,
  ...over,
});

describe('tasks/* service', () => {
  it('saves, lists, updates and deletes tasks in the catalog, with events and the deleted task returned for undo', async () => {
    const { handlers, datasetId, events } = setup();
    expect(await handlers['tasks/list']({})).toEqual([]);
    await handlers['tasks/save'](task(datasetId));
    await handlers['tasks/save'](task(datasetId, { id: 't2', name: 'another' }));
    await handlers['tasks/save'](task(datasetId, { maxTrainImages: 50 }));
    const listed = await handlers['tasks/list']({});
    expect(listed.map((t) => t.name)).toEqual(['another', 'cell type']);
    expect(listed.find((t) => t.id === 't1')!.maxTrainImages).toBe(50);
    const { deleted } = await handlers['tasks/delete']({ id: 't1' });
    expect(deleted.classes).toEqual({ a: 'a', b: 'b+c', c: 'b+c' });
    expect((await handlers['tasks/list']({})).map((t) => t.id)).toEqual(['t2']);
    await handlers['tasks/save'](deleted); // undo
    expect((await handlers['tasks/list']({})).map((t) => t.id).sort()).toEqual(['t1', 't2']);
    expect(events.filter((e) => e.event === 'tasks/changed')).toHaveLength(5);
  });

  it('refuses an unknown dataset, a name clash, a missing task and an invalid payload with clear messages', async () => {
    const { handlers, datasetId } = setup();
    await expect(attempt(() => handlers['tasks/save'](task(9999)))).rejects.toThrow(/dataset 9999 does not exist/);
    await handlers['tasks/save'](task(datasetId));
    await expect(attempt(() => handlers['tasks/save'](task(datasetId, { id: 'other' })))).rejects.toThrow(/already called "cell type"/);
    await expect(attempt(() => handlers['tasks/delete']({ id: 'nope' }))).rejects.toThrow(/task nope does not exist/);
    const invalid = await dispatch(handlers, 'tasks/save', { ...task(datasetId), name: '  ', kind: 'regression' });
    expect(invalid.ok).toBe(false);
    if (!invalid.ok) {
      expect(invalid.error.code).toBe('invalid_request');
      expect(invalid.error.message).toMatch(/name: a task needs a name/);
      expect(invalid.error.message).toMatch(/kind/);
    }
  });

  it('keeps tasks across a restart (a real SQLite file)', async () => {
    const first = setup();
    await first.handlers['tasks/save'](task(first.datasetId));
    await closeServices(first.ctx);
    ctx = createServiceContext({ transport: 'cli', appVersion: '1.0.0', settings: createMemorySettingsStore(), env: { UMEDPT_HOME: first.home } });
    expect((await createServices(ctx)['tasks/list']({})).map((t) => t.name)).toEqual(['cell type']);
  });
});
