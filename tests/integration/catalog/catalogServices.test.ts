/**
 * The catalog and import API through the services and dispatch, as every
 * transport calls them: detect, start (child process), events, browse,
 * statistics, previews, soft delete, errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { decode } from 'fast-png';
import { closeServices, createServiceContext, createServices, dispatch, type ServiceContext } from '../../../main/services';
import { createMemorySettingsStore } from '../../../main/services/settingsStore';
import { renderCatalogMask, renderCatalogPreview } from '../../../main/services/catalogService';
import { maskPngBytes, tempDir, writeFile, writePng } from '../../unit/importers/generatedFixtures';
import type { ApiEventMessage, DatasetStatistics, ImageDetail, ImagePage, ImportFinishedEvent, ImportPreview, DatasetSummary } from '../../../shared/api';

let ctx: ServiceContext;
let services: ReturnType<typeof createServices>;
let root: string;
let cleanup: () => void;
const events: ApiEventMessage[] = [];

beforeAll(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  root = path.join(t.dir, 'src');
  for (let i = 0; i < 12; i++) {
    writePng(path.join(root, `images/${i}.png`), { width: 16, height: 12, seed: i });
    writeFile(path.join(root, `masks/${i}.png`), maskPngBytes(16, 12, 0, i % 2 ? 1 : 2));
  }
  ctx = createServiceContext({ transport: 'server', appVersion: 'test', settings: createMemorySettingsStore(), env: { UMEDPT_HOME: path.join(t.dir, 'home') } });
  ctx.events.subscribe((m) => events.push(m));
  services = createServices(ctx);
});

afterAll(async () => {
  await closeServices(ctx);
  cleanup();
});

async function call<T>(action: string, payload: unknown): Promise<T> {
  const result = await dispatch(services, action, payload);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

describe('catalog and import services', () => {
  let datasetId: number;

  it('detects the format and previews what will be imported', async () => {
    const preview = await call<ImportPreview>('import/detect', { path: root });
    expect(preview).toMatchObject({ format: 'paired-masks', kind: 'segmentation', itemCount: 12, classes: ['0', '1', '2'], publisherSplit: false, resumesDatasetId: null });
    expect(preview.splits.train + preview.splits.val + preview.splits.test).toBe(12);
    const missing = await dispatch(services, 'import/detect', { path: path.join(root, 'nope') });
    expect(missing).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('imports as a job and emits progress and finished events', async () => {
    const { jobId } = await call<{ jobId: string }>('import/start', { path: root, name: 'cells' });
    const finished = await new Promise<ImportFinishedEvent>((resolve) => {
      const check = () => {
        const hit = events.find((e) => e.event === 'import/finished');
        if (hit) resolve(hit.payload as ImportFinishedEvent);
        else setTimeout(check, 20);
      };
      check();
    });
    expect(finished).toMatchObject({ jobId, state: 'completed', counts: { imported: 12, duplicate: 0, skipped: 0 } });
    expect(events.some((e) => e.event === 'import/progress')).toBe(true);
    datasetId = finished.datasetId!;
    const jobs = await call<Array<{ jobId: string }>>('import/listJobs', {});
    expect(jobs.map((j) => j.jobId)).toContain(jobId);
    const report = await call<{ files: unknown[] }>('import/report', { jobId });
    expect(report.files).toHaveLength(12);
  });

  it('browses datasets, images and statistics', async () => {
    const datasets = await call<DatasetSummary[]>('catalog/listDatasets', {});
    expect(datasets.map((d) => d.name)).toEqual(['cells']);
    const page = await call<ImagePage>('catalog/listImages', { datasetId, limit: 5 });
    expect(page.items).toHaveLength(5);
    expect(page.total).toBe(12);
    const next = await call<ImagePage>('catalog/listImages', { datasetId, limit: 5, after: page.nextCursor });
    expect(next.items[0]!.id).toBeGreaterThan(page.items[4]!.id);
    const image = await call<ImageDetail>('catalog/getImage', { imageId: page.items[0]!.id });
    expect(image.mask!.classMap).toHaveLength(3);
    const stats = await call<DatasetStatistics>('catalog/statistics', { datasetId });
    expect(stats.classCounts.map((c) => c.images.train + c.images.val + c.images.test)).toEqual([12, 6, 6]);
    expect(await dispatch(services, 'catalog/getImage', { imageId: 424242 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await dispatch(services, 'catalog/listImages', { datasetId, limit: 0 })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('renders previews and masks for the transports', async () => {
    const page = await call<ImagePage>('catalog/listImages', { datasetId, limit: 1 });
    const imageId = page.items[0]!.id;
    const thumb = decode(await renderCatalogPreview(ctx, { imageId, maxSide: 8 }));
    expect(Math.max(thumb.width, thumb.height)).toBe(8);
    const mask = decode(await renderCatalogMask(ctx, { imageId }));
    expect([mask.width, mask.height, mask.channels]).toEqual([16, 12, 1]);
    expect(new Set(mask.data)).toEqual(new Set([0, (await call<ImageDetail>('catalog/getImage', { imageId })).mask!.classMap.find((e) => e.value !== 0 && mask.data.includes(e.classId))!.classId]));
    await expect(renderCatalogPreview(ctx, { imageId: 999999, maxSide: 8 })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('soft-deletes and restores a dataset', async () => {
    const deleted = await call<DatasetSummary>('catalog/deleteDataset', { datasetId });
    expect(deleted.deletedAt).not.toBeNull();
    expect(await call<DatasetSummary[]>('catalog/listDatasets', {})).toEqual([]);
    expect(await dispatch(services, 'catalog/deleteDataset', { datasetId })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const restored = await call<DatasetSummary>('catalog/restoreDataset', { datasetId });
    expect(restored.imageCount).toBe(12);
  });
});
