/**
 * The job manager with real forked training processes on tiny synthetic tasks
 * (32 px, a few steps): launch and queue, events, pause / resume, cancel,
 * SIGKILL of the worker, restart of the main process, export and reuse of
 * the encoder, predictions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCatalog, type Catalog } from '../../../main/catalog/openCatalog';
import { RunManager } from '../../../main/runs/runManager';
import { isProcessAlive } from '../../../main/runs/heartbeat';
import { readMetricsLog } from '../../../main/runs/metricsLog';
import { createNodeForkLauncher } from '../../../main/workers/processLauncher';
import { runFolder } from '../../../main/runs/runFolder';
import { runToolProcess } from '../../../main/runs/runTool';
import { exportRun } from '../../../main/runs/exportRun';
import { runPredictions } from '../../../main/runs/runPredictions';
import type { ExportResult, RunEvent } from '../../../shared/api/runs';
import { EventRecorder, tempDataDir, tinyConfig, tinyTask } from './runTestHelpers';

const here = path.dirname(fileURLToPath(import.meta.url));
// the best installed backend, as users get it (wasm here)
const workerEnv = {};

function openManager(dataDir: string, recorder: EventRecorder): { catalog: Catalog; manager: RunManager } {
  const catalog = openCatalog(dataDir);
  const manager = new RunManager({ dataDir, db: catalog.db, onEvent: recorder.push, workerEnv, pollMs: 200 });
  return { catalog, manager };
}

function types(events: RunEvent[]): string[] {
  return events.map((e) => (e.type === 'state' ? `state:${e.state}` : e.type));
}

describe('job manager with forked training processes', () => {
  const dataDir = tempDataDir('jobs');
  const recorder = new EventRecorder();
  let catalog: Catalog;
  let manager: RunManager;
  let completedRunId = '';
  /** run A's validations (step, classification accuracy), for the exported model card */
  let validationsOfA: Array<{ step: number; accuracy: number }> = [];

  beforeAll(() => {
    ({ catalog, manager } = openManager(dataDir, recorder));
  });
  afterAll(async () => {
    await manager.dispose({ pauseActive: false });
    catalog.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('trains one run at a time, streams its events and records its folder and catalog row', async () => {
    const a = manager.launch(tinyConfig({ name: 'three tasks', steps: 3, tasks: [tinyTask('classification'), tinyTask('segmentation'), tinyTask('detection')] }));
    const b = manager.launch(tinyConfig({ name: 'queued', steps: 1, tasks: [tinyTask('classification')] }));
    expect(manager.summary(a.id).state).toBe('running');
    expect(manager.summary(b.id).state).toBe('queued');

    const doneA = await manager.waitFor(a.id, ['completed', 'failed', 'interrupted']);
    expect(doneA.error).toBeNull();
    expect(doneA.state).toBe('completed');
    const doneB = await manager.waitFor(b.id, ['completed', 'failed', 'interrupted']);
    expect(doneB.state).toBe('completed');

    const eventsA = recorder.of(a.id);
    expect(types(eventsA).filter((t) => t !== 'log' && t !== 'checkpoint')).toEqual([
      'state:queued',
      'state:running',
      'started',
      'step',
      'step',
      'epoch',
      'validation',
      'step',
      // a run that ends mid-epoch closes that partial epoch and is validated at its last step
      'epoch',
      'validation',
      'state:completed',
    ]);
    const checkpoints = eventsA.flatMap((e) => (e.type === 'checkpoint' ? [`${e.which}@${e.step}`] : []));
    expect(checkpoints.filter((c) => c.startsWith('latest'))).toEqual(['latest@2', 'latest@3']);
    expect(checkpoints).toContain('best@2');
    expect(eventsA.map((e) => e.seq)).toEqual(eventsA.map((_, i) => i));
    const step = eventsA.find((e) => e.type === 'step');
    expect(step).toMatchObject({ step: 1, totalSteps: 3, epoch: 1, totalEpochs: 2 });
    if (step?.type !== 'step') throw new Error('no step');
    expect(Object.keys(step.losses).sort()).toEqual(['cla', 'det', 'seg']);
    expect(step.imagesPerSecond).toBeGreaterThan(0);
    expect(step.etaSeconds).toBeGreaterThan(0);
    expect(step.memory.numTensors).toBeGreaterThan(0);
    // run B only started once A had finished
    const aCompleted = eventsA.at(-1)!;
    const bRunning = recorder.of(b.id).find((e) => e.type === 'state' && e.state === 'running')!;
    expect(bRunning.seq).toBe(1);
    expect(Date.parse(bRunning.time)).toBeGreaterThanOrEqual(Date.parse(aCompleted.time));

    const folder = runFolder(dataDir, a.id);
    for (const file of [folder.config, folder.metrics, folder.log, path.join(folder.latest, 'checkpoint.json'), path.join(folder.best, 'checkpoint.json')]) {
      expect(existsSync(file), file).toBe(true);
    }
    expect(readFileSync(folder.log, 'utf8')).toMatch(/completed 3 steps/);
    // what the file holds is what was streamed
    expect(manager.metrics(a.id).events).toEqual(eventsA);
    expect(manager.metrics(a.id, { after: 5, types: ['validation'] }).events.map((e) => e.seq)).toEqual(eventsA.filter((e) => e.type === 'validation').map((e) => e.seq));

    const listed = manager.list().find((r) => r.id === a.id)!;
    expect(listed.state).toBe('completed');
    expect(listed.progress).toEqual({ step: 3, totalSteps: 3, epoch: 2, totalEpochs: 2 });
    expect(Object.keys(listed.finalMetrics ?? {}).sort()).toEqual(['cla', 'det', 'seg']);
    // the final metrics are the last validation's, and an accuracy is a share
    const validations = eventsA.flatMap((e) => (e.type === 'validation' ? [e] : []));
    const lastAccuracy = validations.at(-1)!.metrics.cla!.accuracy!;
    expect(lastAccuracy).toBeGreaterThanOrEqual(0);
    expect(lastAccuracy).toBeLessThanOrEqual(1);
    expect(listed.finalMetrics?.cla?.accuracy).toBe(lastAccuracy);
    validationsOfA = validations.map((v) => ({ step: v.step, accuracy: v.metrics.cla!.accuracy! }));
    const rows = catalog.db.prepare('SELECT COUNT(*) AS n FROM run_metrics WHERE run_id = ? AND name = ?').get(a.id, 'meanDice') as { n: number };
    expect(rows.n).toBe(2);
    completedRunId = a.id;
  });

  it('exports the encoder with a model card, and a new run starts from it', async () => {
    expect(completedRunId).not.toBe('');
    const run = manager.summary(completedRunId);
    const dir = path.join(dataDir, 'exported-encoder');
    const result = await runToolProcess<ExportResult>(
      createNodeForkLauncher(),
      { op: 'export', options: { runRoot: run.folder, runName: run.name, dir, checkpoint: 'best', what: 'encoder', appName: 'UMedPT Studio', appVersion: '0.1.0' } },
      workerEnv,
    );
    expect(result.files).toEqual(expect.arrayContaining(['umedpt-encoder.json', 'encoder/model.json', 'encoder/weights.bin', 'squeezer/model.json', 'model-card.json']));
    const card = JSON.parse(readFileSync(path.join(dir, 'model-card.json'), 'utf8'));
    expect(card).toMatchObject({ format: 'umedpt-encoder', runId: completedRunId, encoder: 'small-cnn', inputSize: 32, squeezerWidth: 16, appVersion: '0.1.0', checkpoint: 'best' });
    expect(card.tasks.map((t: { name: string; trainImages: number }) => [t.name, t.trainImages])).toEqual([
      ['cla', 8],
      ['seg', 8],
      ['det', 8],
    ]);
    // the card carries the validation metrics of the exported (best) checkpoint's step
    expect(card.tasks[0].validationMetrics.accuracy).toBe(validationsOfA.find((v) => v.step === card.step)!.accuracy);

    const next = manager.launch(tinyConfig({ name: 'from encoder', steps: 1, model: { inputSize: 32, squeezerWidth: 16, initEncoderFrom: dir }, tasks: [tinyTask('classification')] }));
    const done = await manager.waitFor(next.id, ['completed', 'failed', 'interrupted']);
    expect(done.error).toBeNull();
    expect(done.state).toBe('completed');
    expect(readFileSync(runFolder(dataDir, next.id).log, 'utf8')).toContain(`encoder initialised from ${dir} (with its squeezer)`);
  });

  it('exports the whole model and predicts val images worst first', async () => {
    const run = manager.summary(completedRunId);
    const dir = path.join(dataDir, 'exported-model');
    const result = await exportRun({ runRoot: run.folder, runName: run.name, dir, checkpoint: 'latest', what: 'model', appName: 'UMedPT Studio', appVersion: '0.1.0' });
    expect(result.modelCard.format).toBe('umedpt-model');
    expect(result.files).toEqual(expect.arrayContaining(['heads/cla/model.json', 'heads/seg/model.json', 'heads/det/model.json', 'pixelDecoder/model.json', 'detectionDecoder/model.json']));

    const cls = await runPredictions({ runRoot: run.folder, dataDir, task: 'cla', split: 'val', checkpoint: 'best', limit: 10 });
    expect(cls.items).toHaveLength(4);
    expect(cls.items.map((i) => i.score)).toEqual([...cls.items.map((i) => i.score)].sort((x, y) => x - y));
    expect(cls.confusionMatrix?.flat().reduce((a, b) => a + b, 0)).toBe(4);
    expect(cls.items[0]!.imageDataUrl).toMatch(/^data:image\/png;base64,/);
    const seg = await runPredictions({ runRoot: run.folder, dataDir, task: 'seg', split: 'test', checkpoint: 'latest', limit: 2 });
    expect(seg.items).toHaveLength(2);
    expect(seg.items[0]!.segmentation!.predicted.base64.length).toBeGreaterThan(0);
    expect(Buffer.from(seg.items[0]!.segmentation!.truth.base64, 'base64')).toHaveLength(32 * 32);
    const det = await runPredictions({ runRoot: run.folder, dataDir, task: 'det', split: 'val', checkpoint: 'best', limit: 4 });
    expect(det.items[0]!.detection!.truth.length).toBeGreaterThan(0);
  });

  it('pauses with a checkpoint and resumes from that step', async () => {
    const run = manager.launch(tinyConfig({ name: 'pause me', steps: 5 }));
    await recorder.next((e) => e.runId === run.id && e.type === 'step');
    manager.pause(run.id);
    const paused = await manager.waitFor(run.id, ['paused', 'completed', 'failed', 'interrupted']);
    expect(paused.state).toBe('paused');
    const detail = manager.get(run.id);
    const at = detail.checkpoints.latest!.step;
    expect(at).toBeGreaterThanOrEqual(1);
    expect(at).toBeLessThan(5);
    expect(paused.progress.step).toBe(at);

    manager.resume(run.id);
    const done = await manager.waitFor(run.id, ['completed', 'failed', 'interrupted']);
    expect(done.state).toBe('completed');
    const events = recorder.of(run.id);
    const started = events.filter((e) => e.type === 'started');
    expect(started.map((e) => (e.type === 'started' ? e.resumedFromStep : -1))).toEqual([null, at]);
    const stepsAfterResume = events.slice(events.indexOf(started[1]!)).filter((e) => e.type === 'step').map((e) => (e.type === 'step' ? e.step : 0));
    expect(stepsAfterResume).toEqual(Array.from({ length: 5 - at }, (_, i) => at + 1 + i));
  });

  it('cancels a running run', async () => {
    const run = manager.launch(tinyConfig({ name: 'cancel me', steps: 50 }));
    await recorder.next((e) => e.runId === run.id && e.type === 'step');
    manager.cancel(run.id);
    const done = await manager.waitFor(run.id, ['cancelled', 'completed', 'failed', 'interrupted'], 60000);
    expect(done.state).toBe('cancelled');
    expect(done.progress.step).toBeLessThan(50);
  });

  it('SIGKILL mid-epoch leaves an interrupted run with intact metrics that resumes from its checkpoint', async () => {
    const run = manager.launch(tinyConfig({ name: 'kill me', epochs: 3 }));
    // epoch = 2 steps: wait for the epoch-1 checkpoint, then one step into epoch 2
    await recorder.next((e) => e.runId === run.id && e.type === 'checkpoint' && e.which === 'latest' && e.step === 2);
    await recorder.next((e) => e.runId === run.id && e.type === 'step' && e.step === 3);
    const pid = manager.processId(run.id)!;
    process.kill(pid, 'SIGKILL');
    const interrupted = await manager.waitFor(run.id, ['interrupted', 'completed', 'failed']);
    expect(interrupted.state).toBe('interrupted');
    expect(interrupted.error).toMatch(/killed \(SIGKILL\)/);
    expect(isProcessAlive(pid)).toBe(false);

    // a write torn by the kill: readers skip it, the resumed worker cuts it off
    const folder = runFolder(dataDir, run.id);
    appendFileSync(folder.metrics, '{"runId":"x","seq":');
    const beforeResume = manager.metrics(run.id).events;
    expect(beforeResume.at(-1)).toMatchObject({ type: 'state', state: 'interrupted' });
    expect(beforeResume.filter((e) => e.type === 'step').map((e) => (e.type === 'step' ? e.step : 0))).toEqual([1, 2, 3]);

    manager.resume(run.id);
    const done = await manager.waitFor(run.id, ['completed', 'failed', 'interrupted']);
    expect(done.state).toBe('completed');
    expect(done.progress.step).toBe(6);
    const { events, tornTail } = readMetricsLog(folder.metrics);
    expect(tornTail).toBe(false);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    const resumed = events.filter((e) => e.type === 'started').at(-1);
    expect(resumed).toMatchObject({ resumedFromStep: 2 });
    // step 3 is trained again from the epoch-1 checkpoint
    expect(events.filter((e) => e.type === 'step').map((e) => (e.type === 'step' ? e.step : 0))).toEqual([1, 2, 3, 3, 4, 5, 6]);
    // the second step 3 is marked as redone, so readers can keep one per step
    expect(events.filter((e) => e.type === 'step').map((e) => (e.type === 'step' ? e.redone === true : null))).toEqual([false, false, false, true, false, false, false]);
  });
});

describe('restart of the main process', () => {
  function startStandIn(dataDir: string, configFile: string): Promise<{ runId: string; workerPid: number; kill: () => void }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'mainProcessStandIn.ts'), dataDir, configFile], {
        env: { ...process.env, ...workerEnv },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /STEP (\S+) (\d+)/.exec(out);
        if (match) resolve({ runId: match[1]!, workerPid: Number(match[2]), kill: () => child.kill('SIGKILL') });
      });
      child.once('exit', (code) => reject(new Error(`stand-in exited (${code}) before the first step: ${out}`)));
    });
  }

  it('marks a run whose process died interrupted, and adopts one whose process lives on', async () => {
    const deadDir = tempDataDir('restart-dead');
    const liveDir = tempDataDir('restart-live');
    const configFile = path.join(liveDir, 'config.json');
    // long enough (about 150 ms a step here) to outlive the wait for the slower stand-in's first step
    writeFileSync(configFile, JSON.stringify(tinyConfig({ name: 'survivor', steps: 40, tasks: [tinyTask('classification')] })));
    const [dead, live] = await Promise.all([startStandIn(deadDir, configFile), startStandIn(liveDir, configFile)]);
    // the app dies hard; in one case its training process too
    dead.kill();
    live.kill();
    process.kill(dead.workerPid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    expect(isProcessAlive(live.workerPid)).toBe(true);

    const deadRecorder = new EventRecorder();
    const reopenedDead = openManager(deadDir, deadRecorder);
    const deadRun = reopenedDead.manager.summary(dead.runId);
    expect(deadRun.state).toBe('interrupted');
    expect(deadRun.error).toMatch(/is gone/);
    await reopenedDead.manager.dispose();
    reopenedDead.catalog.close();

    const liveRecorder = new EventRecorder();
    const reopened = openManager(liveDir, liveRecorder);
    expect(reopened.manager.summary(live.runId).state).toBe('orphaned');
    expect(reopened.manager.get(live.runId).pid).toBe(live.workerPid);
    const done = await reopened.manager.waitFor(live.runId, ['completed', 'failed', 'interrupted'], 90000);
    expect(done.state).toBe('completed');
    expect(done.progress.step).toBe(40);
    // followed through its folder: the adopted run's later events reached the new manager
    expect(liveRecorder.of(live.runId).some((e) => e.type === 'state' && e.state === 'completed')).toBe(true);
    await reopened.manager.dispose();
    reopened.catalog.close();
    rmSync(deadDir, { recursive: true, force: true });
    rmSync(liveDir, { recursive: true, force: true });
  });
});
