/**
 * A run shorter than one epoch, with step checkpoints landing on its last
 * step, still validates at its end; and a segmentation task whose mask
 * values 0 and 255 the task names membrane and cell scores both classes:
 * class 0 is not background because of its index. Real samples shipped in
 * resources/samples (ISBI-2012 EM, RetinaMNIST), a real worker, real steps.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { closeServices, createServiceContext, createServices, dispatch } from '../../../main/services';
import { createMemorySettingsStore } from '../../../main/services/settingsStore';
import type { ApiEventMessage, ImportFinishedEvent, RunDetail, RunEvent, RunMetricsPage, RunSummary } from '../../../shared/api';
import { tempDataDir } from './runTestHelpers';

const samples = path.resolve(__dirname, '..', '..', '..', 'resources', 'samples');

describe('validation at the end of a short run', () => {
  const home = tempDataDir('end-validation');
  const ctx = createServiceContext({ transport: 'server', appVersion: '0.1.0', settings: createMemorySettingsStore(), env: { UMEDPT_HOME: home } });
  const services = createServices(ctx);
  afterAll(async () => {
    await closeServices(ctx);
    rmSync(home, { recursive: true, force: true });
  });

  async function importFolder(folder: string, name: string): Promise<number> {
    let jobId = '';
    const finished = new Promise<ImportFinishedEvent>((resolve) => {
      const unsubscribe = ctx.events.subscribe((m: ApiEventMessage) => {
        if (m.event !== 'import/finished' || (m.payload as ImportFinishedEvent).jobId !== jobId) return;
        unsubscribe();
        resolve(m.payload as ImportFinishedEvent);
      });
    });
    const started = await dispatch(services, 'import/start', { path: folder, name });
    if (!started.ok) throw new Error(JSON.stringify(started.error));
    jobId = (started.value as { jobId: string }).jobId;
    const result = await finished;
    if (result.state !== 'completed' || result.datasetId === null) throw new Error(`import of ${folder}: ${result.state} ${result.error ?? ''}`);
    return result.datasetId;
  }

  it('writes a validation event at step 6 of 6 and scores dice_membrane in the headline', async () => {
    // ISBI-2012 without its classes.json: the classes are the mask values "0" and "255"
    const isbi = path.join(home, 'isbi-values');
    mkdirSync(isbi);
    cpSync(path.join(samples, 'isbi2012-em', 'image'), path.join(isbi, 'image'), { recursive: true });
    cpSync(path.join(samples, 'isbi2012-em', 'label'), path.join(isbi, 'label'), { recursive: true });
    const isbiId = await importFolder(isbi, 'ISBI-2012 values');
    const retinaId = await importFolder(path.join(samples, 'retinamnist', 'retinamnist.npz'), 'RetinaMNIST');
    const isbiDataset = await dispatch(services, 'catalog/getDataset', { datasetId: isbiId });
    expect(isbiDataset.ok && (isbiDataset.value as { classes: Array<{ name: string }> }).classes.map((c) => c.name)).toEqual(['0', '255']);

    const ended = new Promise<void>((resolve) =>
      ctx.events.subscribe((m) => {
        if (m.event === 'runs/updated' && ['completed', 'failed', 'cancelled'].includes((m.payload as RunSummary).state)) resolve();
      }),
    );
    const launched = await dispatch(services, 'runs/launch', {
      config: {
        name: 'short',
        steps: 6,
        checkpointEverySteps: 3,
        model: { inputSize: 64 },
        augmentation: { horizontalFlip: false, verticalFlip: false },
        tasks: [
          { name: 'em', kind: 'segmentation', source: { kind: 'catalog', datasetId: isbiId }, batchSize: 4, classes: { map: { '0': 'membrane', '255': 'cell' } } },
          { name: 'retina', kind: 'classification', source: { kind: 'catalog', datasetId: retinaId }, batchSize: 8 },
        ],
      },
    });
    if (!launched.ok) throw new Error(JSON.stringify(launched.error));
    const run = launched.value as RunSummary;
    await ended;

    const detail = (await dispatch(services, 'runs/get', { runId: run.id })) as { ok: true; value: RunDetail };
    expect(detail.value.state, detail.value.error ?? '').toBe('completed');
    // shorter than one epoch: RetinaMNIST alone needs 25 steps of 8 for one pass
    expect(detail.value.progress.totalEpochs).toBe(1);
    const page = (await dispatch(services, 'runs/metrics', { runId: run.id, types: ['validation'] })) as { ok: true; value: RunMetricsPage };
    const validations = page.value.events.filter((e): e is Extract<RunEvent, { type: 'validation' }> => e.type === 'validation');
    expect(validations.map((v) => v.step)).toEqual([6]);
    const em = validations[0]!.metrics['em']!;
    expect(Object.keys(em)).toEqual(expect.arrayContaining(['meanDice', 'dice_membrane', 'dice_cell']));
    expect(Object.keys(em).filter((k) => /^dice_\d/.test(k))).toEqual([]);
    // both classes occur in the validation masks, and neither is background: the headline is their mean
    expect(em['meanDice']).toBeCloseTo((em['dice_membrane']! + em['dice_cell']!) / 2, 10);
    expect(validations[0]!.metrics['retina']).toHaveProperty('accuracy');
    // the end-of-run validation is where the best checkpoint comes from
    expect(detail.value.checkpoints.best?.step).toBe(6);
    expect(detail.value.finalMetrics?.['em']?.['dice_membrane']).toBe(em['dice_membrane']);
  }, 300_000);
});
