import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StudyManager } from '../../../main/studies/studyManager';
import { studyFolder, readStudyStatus, writeStudyStatus } from '../../../main/studies/studyFolder';
import { evalConfigSchema, type EvalProgressEvent } from '../../../shared/api/eval';

const dataDir = mkdtempSync(path.join(tmpdir(), 'umedpt-eval-jobs-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** a tiny study: a random encoder on 40 synthetic cell-count images (4 classes) */
const tiny = (name: string) =>
  evalConfigSchema.parse({
    name,
    encoders: [{ kind: 'random', squeezerWidth: 16, label: 'random' }],
    task: { name: 'count', kind: 'classification', source: { kind: 'synthetic', variant: 'cell-count-classification', counts: { train: 40, test: 12 } } },
    // 5 % of 40 is 2 images, but synthetic images come in groups (slides) of 4: a group is taken whole
    fractions: [5, 50, 100],
    seeds: 1,
    inputSize: 32,
    linearEpochs: 50,
    backend: 'cpu',
  });

describe('eval jobs: a study in its own process', () => {
  it('runs to completion, streams rows, keeps groups whole and writes table, plot and report', async () => {
    const events: EvalProgressEvent[] = [];
    const manager = new StudyManager({ dataDir, onProgress: (e) => events.push(e) });
    const first = manager.launch(tiny('first'));
    const second = manager.launch(tiny('second'));
    expect(first.state).toBe('queued');
    expect(first.progress).toEqual({ done: 0, total: 3 });
    // the second waits for the one slot, so cancelling it never starts a process
    expect(manager.cancel(second.id).state).toBe('cancelled');
    const done = await manager.waitFor(first.id);
    expect(done.state, done.error ?? '').toBe('completed');
    expect(done.progress).toEqual({ done: 3, total: 3 });
    expect(manager.list().map((s) => s.id).sort()).toEqual([first.id, second.id].sort());

    const results = manager.results(first.id);
    expect(results.primaryMetric).toBe('balancedAccuracy');
    expect(results.rows.map((r) => [r.fraction, r.status, r.trainImages])).toEqual([
      [5, 'ok', 4],
      [50, 'ok', 20],
      [100, 'ok', 40],
    ]);
    // a share, and with one seed the curve's point is that very value (sd 0)
    const full = results.rows[2]!.metrics.balancedAccuracy!;
    expect(full).toBeGreaterThanOrEqual(0);
    expect(full).toBeLessThanOrEqual(1);
    expect(results.curves[0]!.points[2]).toMatchObject({ fraction: 100, mean: full, sd: 0 });
    expect(results.curves[0]!.points.map((p) => p.fraction)).toEqual([5, 50, 100]);
    expect(results.svg).toMatch(/^<svg/);
    for (const file of Object.values(results.files!)) expect(existsSync(file), file).toBe(true);
    expect(readFileSync(results.files!.csv, 'utf8').split('\n')[0]).toMatch(/^encoder,mode,fraction,seed/);
    expect(readFileSync(results.files!.html, 'utf8')).toContain('random-initialisation');

    // progress went out as events: started, every row, completed
    expect(events.filter((e) => e.evalId === first.id && e.row).map((e) => e.progress.done)).toEqual([1, 2, 3]);
    expect(events.at(-1)).toMatchObject({ evalId: first.id, state: 'completed' });
    expect(() => manager.cancel(first.id)).toThrow(/already completed/);
    expect(() => manager.get('eval-missing')).toThrow(/no study/);
    await manager.dispose();
  }, 300_000);

  it('records a clear failure when the task cannot be loaded, and fails a study left running by a dead process', async () => {
    const manager = new StudyManager({ dataDir });
    const summary = manager.launch({ ...tiny('crash'), task: { name: 'bad', kind: 'classification', source: { kind: 'catalog', datasetId: 99, trainSplit: 'train', testSplit: 'test', maxImagesPerSplit: 0 } } });
    const done = await manager.waitFor(summary.id);
    // no catalog in this data folder: the worker records a clear failure
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/dataset 99/);
    await manager.dispose();
    // a study its process left 'running' (crash, app quit): the next manager marks it failed
    const folder = studyFolder(dataDir, summary.id);
    writeStudyStatus(folder, { ...readStudyStatus(folder)!, state: 'running', pid: 2 ** 22 + 12345, error: null });
    const restarted = new StudyManager({ dataDir });
    expect(restarted.get(summary.id)).toMatchObject({ state: 'failed', error: expect.stringMatching(/ended without finishing/) });
    await restarted.dispose();
  }, 120_000);
});
