/**
 * Import jobs run in a child process: progress, reports, cancel, and crash
 * safety (SIGKILL in the middle leaves a consistent catalog that a re-run
 * completes).
 */
import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { ImportJobManager } from '../../../main/importers/importJobs';
import { openCatalog } from '../../../main/catalog/openCatalog';
import { tempDir, vocXml, writeFile, writePng } from '../../unit/importers/generatedFixtures';
import type { ImportFinishedEvent, ImportProgressEvent } from '../../../shared/api/import';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A VOC dataset of n images; image i has (i % 4) + 1 boxes, so each image's box count is known. */
function vocDataset(root: string, n: number): Map<string, number> {
  const expected = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const id = `img${String(i).padStart(4, '0')}`;
    writePng(path.join(root, `JPEGImages/${id}.png`), { width: 64, height: 48, seed: i });
    const boxes = Array.from({ length: (i % 4) + 1 }, (_, k) => ({ name: k % 2 ? 'WBC' : 'RBC', box: [k, k, k + 10, k + 8] as [number, number, number, number] }));
    writeFile(path.join(root, `Annotations/${id}.xml`), vocXml(`${id}.png`, 64, 48, boxes));
    expected.set(`JPEGImages/${id}.png`, boxes.length);
  }
  return expected;
}

function setup() {
  const t = tempDir();
  const dataDir = path.join(t.dir, 'data');
  const progress: ImportProgressEvent[] = [];
  const finished: ImportFinishedEvent[] = [];
  const manager = new ImportJobManager(dataDir, { progress: (e) => progress.push(e), finished: (e) => finished.push(e) });
  cleanups.push(t.cleanup, () => manager.dispose());
  return { root: path.join(t.dir, 'src'), dataDir, manager, progress, finished };
}

describe('import jobs (child process)', () => {
  it('imports in a child process with progress events, a per-file report and a finished event', async () => {
    const { root, dataDir, manager, progress, finished } = setup();
    vocDataset(root, 40);
    writeFile(path.join(root, 'Annotations/broken.xml'), '<annotation><object>');
    const jobId = manager.start({ path: root });
    expect(manager.processOf(jobId)?.pid).not.toBe(process.pid);
    const summary = await manager.waitFor(jobId);
    expect(summary.state).toBe('completed');
    expect(summary.counts).toEqual({ imported: 40, duplicate: 0, skipped: 1 });
    expect(progress.length).toBeGreaterThan(0);
    const last = progress[progress.length - 1]!;
    expect(last.done).toBe(41);
    expect(last.total).toBe(41);
    expect(last.filesPerSecond).toBeGreaterThan(0);
    expect(finished).toEqual([{ jobId, datasetId: summary.datasetId, state: 'completed', counts: summary.counts, error: null }]);
    const report = manager.report(jobId)!;
    expect(report.files).toHaveLength(41);
    expect(report.files.find((f) => f.path === 'Annotations/broken.xml')!.reason).toMatch(/no image/);
    const catalog = openCatalog(dataDir);
    expect(catalog.getDataset(summary.datasetId!)!.state).toBe('ready');
    catalog.close();
  });

  it('cancel stops the job after the current file and leaves an incomplete dataset', async () => {
    const { root, dataDir, manager, progress } = setup();
    vocDataset(root, 400);
    const jobId = manager.start({ path: root });
    expect(() => manager.start({ path: root })).toThrow(/is being imported already/);
    await until(() => progress.some((p) => p.done >= 5));
    expect(manager.cancel(jobId).jobId).toBe(jobId);
    const summary = await manager.waitFor(jobId);
    expect(summary.state).toBe('cancelled');
    // the same answers as runs and studies: an ended job is a conflict, an unknown one not found
    expect(() => manager.cancel(jobId)).toThrow(/is already cancelled/);
    expect(() => manager.cancel('no-such-job')).toThrow(/no import job no-such-job/);
    expect(summary.counts.imported).toBeLessThan(400);
    const catalog = openCatalog(dataDir);
    const dataset = catalog.getDataset(summary.datasetId!)!;
    expect(['incomplete', 'importing']).toContain(dataset.state);
    expect(dataset.imageCount).toBeGreaterThanOrEqual(5);
    catalog.close();
  });

  it('SIGKILL in the middle leaves only whole images with their boxes; a re-run completes the import', async () => {
    const { root, dataDir, manager, progress } = setup();
    const expected = vocDataset(root, 400);
    const jobId = manager.start({ path: root });
    await until(() => progress.some((p) => p.done >= 40));
    manager.processOf(jobId)!.kill('SIGKILL');
    const killed = await manager.waitFor(jobId);
    expect(killed.state).toBe('failed');
    expect(killed.error).toMatch(/SIGKILL/);

    const catalog = openCatalog(dataDir);
    expect(catalog.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const datasetId = killed.datasetId!;
    expect(catalog.getDataset(datasetId)!.state).toBe('importing');
    const partial = catalog.imagesWithAnnotations(datasetId);
    expect(partial.length).toBeGreaterThanOrEqual(40);
    expect(partial.length).toBeLessThan(400);
    for (const image of partial) {
      expect(image.boxes.length, image.sourcePath).toBe(expected.get(image.sourcePath));
      expect(catalog.store.has(image.sha256)).toBe(true);
    }
    const recorded = catalog.db.prepare("SELECT COUNT(*) AS n FROM import_files WHERE dataset_id = ? AND status = 'imported'").get(datasetId) as { n: number };
    expect(recorded.n).toBe(partial.length);
    catalog.close();

    const rerun = manager.start({ path: root });
    const done = await manager.waitFor(rerun);
    expect(done.state).toBe('completed');
    expect(done.datasetId).toBe(datasetId);
    expect(done.counts.imported + done.counts.duplicate).toBe(400);
    expect(done.counts.duplicate).toBe(partial.length);
    const after = openCatalog(dataDir);
    const all = after.imagesWithAnnotations(datasetId);
    expect(all).toHaveLength(400);
    for (const image of all) expect(image.boxes.length).toBe(expected.get(image.sourcePath));
    expect(after.getDataset(datasetId)!.state).toBe('ready');
    expect(after.listDatasets()).toHaveLength(1);
    after.close();
  });
});

async function until(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for the import');
    await new Promise((r) => setTimeout(r, 10));
  }
}
