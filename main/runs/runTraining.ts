/**
 * One training run, inside the worker process: load the run folder's config,
 * pick the backend, load the tasks, build the model and the multi-task
 * trainer (resuming from checkpoints/latest when asked), train, and record
 * everything in the folder (metrics.jsonl, log.txt, progress.json,
 * checkpoints) while streaming the same events to the manager.
 */
import { appendFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { initEngine } from '../engine/backend/initEngine';
import { augmentSample, DEFAULT_AUGMENTATION, NO_AUGMENTATION, type AugmentationSettings } from '../engine/data/augment';
import { SeededRandom } from '../engine/data/random';
import type { TaskData } from '../engine/data/taskSample';
import { loadEncoderWeights } from '../engine/model/encoderExport';
import { createUmedptModel, type UmedptModel } from '../engine/model/umedptModel';
import { MultiTaskTrainer, type AugmentFn, type TrainEvent } from '../engine/train/multiTaskTrainer';
import type { LrSchedule } from '../engine/train/schedules';
import { CyclicTaskSampler } from '../engine/train/cyclicSampler';
import type { CheckpointInfo, RunEvent, RunEventBody, RunTaskSummary, TaskMetrics } from '../../shared/api/runs';
import type { RunConfig } from '../../shared/runConfig';
import { writeHeartbeat, heartbeatIntervalMs } from './heartbeat';
import { MetricsLogWriter } from './metricsLog';
import { readJsonFile, readRunConfig, runFolderAt, type RunProgressFile } from './runFolder';
import { writeJsonAtomic } from '../files/atomicFile';
import { loadRunTasks } from './taskDataLoader';
import type { WorkerArgs, WorkerOutcome } from './workerProtocol';
import { toMetricValues } from './taskMetricValues';

export interface TrainingControl {
  /** set by the worker's message handler; the loop stops after the current step */
  stopRequest: 'pause' | 'cancel' | null;
  onStop?: () => void;
}

export function requestStop(control: TrainingControl, kind: 'pause' | 'cancel'): void {
  // cancel wins over an earlier pause request
  if (control.stopRequest === 'cancel') return;
  control.stopRequest = kind;
  control.onStop?.();
}

function scheduleFor(config: RunConfig, totalSteps: number): LrSchedule | undefined {
  const s = config.schedule;
  const warmupSteps = s.warmupSteps;
  switch (s.kind) {
    case 'none':
      return warmupSteps ? { kind: 'constant', warmupSteps } : undefined;
    case 'cosine':
      return { kind: 'cosine', totalSteps, warmupSteps };
    case 'poly':
      return { kind: 'poly', totalSteps, power: s.power, warmupSteps };
    case 'step':
      return { kind: 'step', stepSize: s.stepSize, gamma: s.gamma, warmupSteps };
  }
}

function augmentationFor(config: RunConfig): AugmentFn | undefined {
  const a = config.augmentation;
  const settings: AugmentationSettings = {
    ...NO_AUGMENTATION,
    horizontalFlip: a.horizontalFlip,
    verticalFlip: a.verticalFlip,
    rotate90: a.rotate90,
    scale: a.scale ? DEFAULT_AUGMENTATION.scale : null,
    intensity: a.intensity ? DEFAULT_AUGMENTATION.intensity : null,
    minBoxSide: DEFAULT_AUGMENTATION.minBoxSide,
  };
  if (!settings.horizontalFlip && !settings.verticalFlip && !settings.rotate90 && !settings.scale && !settings.intensity) return undefined;
  return (sample, seed) => augmentSample(sample, settings, new SeededRandom(seed));
}

export function buildRunModel(config: RunConfig, tasks: TaskData[]): UmedptModel {
  return createUmedptModel({
    encoder: config.model.encoder,
    inputSize: config.model.inputSize,
    squeezerWidth: config.model.squeezerWidth,
    tasks: tasks.map((t) => ({ name: t.name, kind: t.kind, numClasses: t.classNames.length, multiLabel: t.multiLabel ?? false })),
    seed: config.seed,
  });
}

export async function runTraining(args: WorkerArgs, control: TrainingControl, send: (event: RunEvent) => void): Promise<WorkerOutcome> {
  const folder = runFolderAt(args.runFolder);
  const runId = path.basename(folder.root);
  const metrics = new MetricsLogWriter(folder.metrics, runId);
  const emit = (body: RunEventBody): void => send(metrics.append(body));
  const log = (level: 'info' | 'warn' | 'error', message: string): void => {
    appendFileSync(folder.log, `${new Date().toISOString()} ${level.padEnd(5)} ${message}\n`);
    emit({ type: 'log', level, message });
  };
  let lastBeat = 0;
  const beat = (step: number, force = false): void => {
    if (!force && Date.now() - lastBeat < heartbeatIntervalMs) return;
    lastBeat = Date.now();
    writeHeartbeat(folder.heartbeat, { pid: process.pid, time: new Date().toISOString(), step });
  };
  // Also beat while a long step or the data loading blocks nothing but us.
  const beatTimer = setInterval(() => beat(-1, true), heartbeatIntervalMs);
  beat(0, true);
  emit({ type: 'state', state: 'running' });
  metrics.sync();

  const previous = readJsonFile<RunProgressFile>(folder.progress);
  const progress: RunProgressFile = previous ?? {
    step: 0,
    totalSteps: 0,
    epoch: 0,
    totalEpochs: 0,
    backend: null,
    tasks: [],
    checkpoints: { latest: null, best: null },
    lastMetrics: null,
    bestScore: null,
  };
  const saveProgress = (): void => writeJsonAtomic(folder.progress, progress);

  let trainer: MultiTaskTrainer | null = null;
  let model: UmedptModel | null = null;
  try {
    const config = readRunConfig(folder);
    const engine = await initEngine({ forced: config.backend === 'auto' ? undefined : config.backend });
    log('info', `engine backend ${engine.backend} (${engine.reason})`);
    const tasks = await loadRunTasks(config, args.dataDir, (m) => log('info', m));
    model = buildRunModel(config, tasks);
    const batchSize = Object.fromEntries(config.tasks.map((t) => [t.name, t.batchSize]));
    // The schedule needs the run length, known only once the data is loaded.
    const stepsPerEpoch = new CyclicTaskSampler(
      tasks.map((t) => ({ name: t.name, size: t.train.length, batchSize: batchSize[t.name] ?? 8 })),
      config.seed,
    ).stepsPerEpoch();
    const totalSteps = config.steps ?? (config.epochs ?? 1) * stepsPerEpoch;
    const totalEpochs = Math.ceil(totalSteps / stepsPerEpoch);
    trainer = new MultiTaskTrainer(model, tasks, {
      batchSize,
      learningRate: config.optimizer.learningRate,
      weightDecay: config.optimizer.weightDecay,
      seed: config.seed,
      augment: augmentationFor(config),
      schedule: scheduleFor(config, totalSteps),
    });

    let resumedFromStep: number | null = null;
    if (args.resume && existsSync(path.join(folder.latest, 'checkpoint.json'))) {
      trainer.loadCheckpoint(folder.latest);
      resumedFromStep = trainer.stepCount;
      log('info', `resumed from checkpoints/latest at step ${resumedFromStep}`);
    } else {
      if (args.resume) log('warn', 'no checkpoint to resume from yet: starting from the beginning');
      if (config.model.initEncoderFrom) {
        const loaded = await loadEncoderWeights(model, config.model.initEncoderFrom);
        log('info', `encoder initialised from ${config.model.initEncoderFrom}${loaded.squeezerLoaded ? ' (with its squeezer)' : ''}`);
      }
    }

    const taskSummaries: RunTaskSummary[] = tasks.map((t) => ({ name: t.name, kind: t.kind, classNames: t.classNames, trainImages: t.train.length, valImages: t.val.length }));
    Object.assign(progress, { step: trainer.stepCount, totalSteps, totalEpochs, epoch: trainer.epoch, backend: engine.backend, tasks: taskSummaries });
    if (resumedFromStep === null) progress.bestScore = null;
    saveProgress();
    emit({ type: 'started', backend: engine.backend, pid: process.pid, tasks: taskSummaries, totalSteps, totalEpochs, resumedFromStep });

    const epochOf = (step: number): number => Math.max(1, Math.ceil(step / stepsPerEpoch));
    const saveCheckpoint = (which: 'latest' | 'best', score: number | null): void => {
      const t = trainer!;
      t.saveCheckpoint(which === 'latest' ? folder.latest : folder.best);
      const info: CheckpointInfo = { step: t.stepCount, epoch: epochOf(t.stepCount), score, savedAt: new Date().toISOString() };
      progress.checkpoints[which] = info;
      emit({ type: 'checkpoint', which, step: info.step, epoch: info.epoch });
    };
    let bestScore = progress.bestScore;
    const recordValidation = (step: number, metricsByTask: TaskMetrics, score: number): void => {
      const best = bestScore === null || score > bestScore;
      if (best) bestScore = score;
      progress.lastMetrics = metricsByTask;
      progress.bestScore = bestScore;
      emit({ type: 'validation', step, epoch: epochOf(step), metrics: metricsByTask, score, best });
      saveCheckpoint('latest', score);
      if (best) saveCheckpoint('best', score);
    };

    // Rolling window of step times for images/s and the ETA.
    const recent: number[] = [];
    let lastStepAt = performance.now();
    let epochStartedAt = Date.now();
    const epochLoss = new Map<string, { sum: number; n: number }>();
    /** the epoch's mean training loss per task, reported before its validation */
    const endEpoch = (step: number): void => {
      const trainLoss = Object.fromEntries([...epochLoss].map(([task, acc]) => [task, acc.sum / acc.n]));
      emit({ type: 'epoch', epoch: epochOf(step), step, seconds: (Date.now() - epochStartedAt) / 1000, trainLoss });
      epochLoss.clear();
      epochStartedAt = Date.now();
    };
    const onEvent = (event: TrainEvent): void => {
      if (event.type === 'step') {
        const now = performance.now();
        recent.push((now - lastStepAt) / 1000);
        lastStepAt = now;
        if (recent.length > 20) recent.shift();
        const secondsPerStep = recent.reduce((a, b) => a + b, 0) / recent.length;
        for (const [task, loss] of Object.entries(event.taskLosses)) {
          const acc = epochLoss.get(task) ?? { sum: 0, n: 0 };
          acc.sum += loss;
          acc.n += 1;
          epochLoss.set(task, acc);
        }
        progress.step = event.step;
        progress.epoch = epochOf(event.step);
        emit({
          type: 'step',
          step: event.step,
          totalSteps,
          epoch: epochOf(event.step),
          totalEpochs,
          losses: event.taskLosses,
          learningRate: event.learningRate,
          imagesPerSecond: event.imagesPerSecond,
          etaSeconds: Math.max(0, (totalSteps - event.step) * secondsPerStep),
          memory: event.tensorMemory,
        });
        beat(event.step);
        if (config.checkpointEverySteps > 0 && event.step % config.checkpointEverySteps === 0 && event.step % stepsPerEpoch !== 0) {
          saveCheckpoint('latest', null);
          saveProgress();
        }
      } else {
        endEpoch(event.step);
        recordValidation(event.step, toMetricValues(event.metrics), event.score);
        metrics.sync();
        saveProgress();
      }
    };

    const abort = new AbortController();
    control.onStop = () => abort.abort();
    if (control.stopRequest) abort.abort();
    const remaining = totalSteps - trainer.stepCount;
    if (remaining > 0) await trainer.train({ steps: remaining, onEvent, signal: abort.signal, validate: true });

    const step = trainer.stepCount;
    if (control.stopRequest) {
      // Keep what was trained since the last checkpoint, so resume loses nothing.
      if (progress.checkpoints.latest?.step !== step && step > 0) saveCheckpoint('latest', null);
      saveProgress();
      const state = control.stopRequest === 'pause' ? 'paused' : 'cancelled';
      log('info', `${state} at step ${step}/${totalSteps}`);
      emit({ type: 'state', state });
      return state;
    }
    // A run that ends mid-epoch (fixed steps) still gets a final validation and checkpoint.
    if (step % stepsPerEpoch !== 0 || remaining <= 0) {
      if (progress.checkpoints.latest?.step !== step) {
        // the last, partial epoch
        endEpoch(step);
        const validation = trainer.validate('val');
        const values = Object.values(validation);
        const score = values.length ? values.reduce((a, m) => a + m.primary, 0) / values.length : 0;
        recordValidation(step, toMetricValues(validation), score);
      }
    }
    saveProgress();
    log('info', `completed ${step} steps`);
    emit({ type: 'state', state: 'completed' });
    return 'completed';
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    try {
      appendFileSync(folder.log, `${new Date().toISOString()} error ${error instanceof Error && error.stack ? error.stack : message}\n`);
      emit({ type: 'log', level: 'error', message });
      emit({ type: 'state', state: 'failed', message });
    } catch {
      // the folder itself is gone: nothing left to record into
    }
    return 'failed';
  } finally {
    clearInterval(beatTimer);
    trainer?.dispose();
    model?.dispose();
    metrics.close();
  }
}
