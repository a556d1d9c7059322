/**
 * One training run, inside the worker process: load the run folder's config,
 * pick the backend, load the tasks, build the model and the multi-task
 * trainer (resuming from checkpoints/latest when asked), train, and record
 * everything in the folder (metrics.jsonl, log.txt, progress.json,
 * checkpoints) while streaming the same events to the manager.
 */
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import type { TrainEvent } from '../engine/train/multiTaskTrainer';
import { isNewBest, validationScore } from '../engine/train/checkpointPolicy';
import type { CheckpointInfo, RunEvent, RunEventBody, RunTaskSummary, TaskMetrics } from '../../shared/api/runs';
import { EpochLosses, readProgressFile, startHeartbeat, StepTimes } from './trainingProgress';
import { MetricsLogWriter } from './metricsLog';
import { readRunConfig, runFolderAt } from './runFolder';
import { writeJsonAtomic } from '../files/atomicFile';
import { setUpTraining, type TrainingResources } from './trainingSetup';
import type { WorkerArgs, WorkerOutcome } from './workerProtocol';
import { toMetricValues } from './taskMetricValues';
import { lastLoggedStep, tailEvents } from './runTruth';

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

export async function runTraining(args: WorkerArgs, control: TrainingControl, send: (event: RunEvent) => void): Promise<WorkerOutcome> {
  const folder = runFolderAt(args.runFolder);
  const runId = path.basename(folder.root);
  // steps the log already holds (from before a crash or pause): redone ones are marked when logged again
  const loggedBefore = lastLoggedStep(tailEvents(folder.metrics));
  const metrics = new MetricsLogWriter(folder.metrics, runId);
  const emit = (body: RunEventBody): void => send(metrics.append(body));
  const log = (level: 'info' | 'warn' | 'error', message: string): void => {
    appendFileSync(folder.log, `${new Date().toISOString()} ${level.padEnd(5)} ${message}\n`);
    emit({ type: 'log', level, message });
  };
  const heartbeat = startHeartbeat(folder);
  emit({ type: 'state', state: 'running' });
  metrics.sync();

  const progress = readProgressFile(folder);
  const saveProgress = (): void => writeJsonAtomic(folder.progress, progress);

  let resources: TrainingResources = { model: null, trainer: null };
  try {
    const config = readRunConfig(folder);
    const made: TrainingResources = { model: null, trainer: null };
    resources = made;
    const { engine, tasks, stepsPerEpoch, totalSteps, totalEpochs, resumedFromStep } = await setUpTraining(config, folder, args, made, log);
    const trainer = made.trainer!;
    const taskSummaries: RunTaskSummary[] = tasks.map((t) => ({ name: t.name, kind: t.kind, classNames: t.classNames, trainImages: t.train.length, valImages: t.val.length }));
    const backendChoice = { source: engine.source, reason: engine.reason };
    Object.assign(progress, { step: trainer.stepCount, totalSteps, totalEpochs, epoch: trainer.epoch, backend: engine.backend, backendChoice, tasks: taskSummaries });
    if (resumedFromStep === null) progress.bestScore = null;
    saveProgress();
    emit({ type: 'started', backend: engine.backend, backendChoice, pid: process.pid, tasks: taskSummaries, totalSteps, totalEpochs, resumedFromStep });

    const epochOf = (step: number): number => Math.max(1, Math.ceil(step / stepsPerEpoch));
    const saveCheckpoint = async (which: 'latest' | 'best', score: number | null): Promise<void> => {
      const t = trainer;
      await t.saveCheckpointAsync(which === 'latest' ? folder.latest : folder.best);
      const info: CheckpointInfo = { step: t.stepCount, epoch: epochOf(t.stepCount), score, savedAt: new Date().toISOString() };
      progress.checkpoints[which] = info;
      emit({ type: 'checkpoint', which, step: info.step, epoch: info.epoch });
    };
    let bestScore = progress.bestScore;
    let validatedAtStep: number | null = null;
    const recordValidation = async (step: number, metricsByTask: TaskMetrics, score: number): Promise<void> => {
      validatedAtStep = step;
      const best = isNewBest(bestScore, score);
      if (best) bestScore = score;
      progress.lastMetrics = metricsByTask;
      progress.bestScore = bestScore;
      emit({ type: 'validation', step, epoch: epochOf(step), metrics: metricsByTask, score, best });
      await saveCheckpoint('latest', score);
      if (best) await saveCheckpoint('best', score);
    };

    const stepTimes = new StepTimes();
    const epochLosses = new EpochLosses();
    /** the epoch's mean training loss per task, reported before its validation */
    const endEpoch = (step: number): void => emit({ type: 'epoch', epoch: epochOf(step), step, ...epochLosses.end() });
    /** the first step whose loss is not finite: the run stops there as failed */
    let nonFiniteLoss: string | null = null;
    const onEvent = async (event: TrainEvent): Promise<void> => {
      if (nonFiniteLoss) return;
      if (event.type === 'step') {
        const bad = Object.entries(event.taskLosses).find(([, loss]) => !Number.isFinite(loss));
        if (bad) {
          nonFiniteLoss = `step ${event.step}: the training loss of task "${bad[0]}" is ${bad[1]}`;
          abort.abort();
          return;
        }
        const secondsPerStep = stepTimes.stepDone();
        epochLosses.add(event.taskLosses);
        progress.step = event.step;
        progress.epoch = epochOf(event.step);
        emit({
          type: 'step',
          step: event.step,
          totalSteps,
          epoch: epochOf(event.step),
          totalEpochs,
          losses: event.taskLosses,
          ...(event.step <= loggedBefore ? { redone: true } : {}),
          learningRate: event.learningRate,
          imagesPerSecond: event.imagesPerSecond,
          etaSeconds: Math.max(0, (totalSteps - event.step) * secondsPerStep),
          memory: event.tensorMemory,
        });
        heartbeat.beat(event.step);
        if (config.checkpointEverySteps > 0 && event.step % config.checkpointEverySteps === 0 && event.step % stepsPerEpoch !== 0) {
          await saveCheckpoint('latest', null);
          saveProgress();
        }
      } else {
        endEpoch(event.step);
        await recordValidation(event.step, toMetricValues(event.metrics), event.score);
        metrics.sync();
        saveProgress();
      }
    };

    const abort = new AbortController();
    control.onStop = () => abort.abort();
    if (control.stopRequest) abort.abort();
    const remaining = totalSteps - trainer.stepCount;
    if (remaining > 0) log('info', 'phase: first training step (the backend compiles its kernels; this can take a minute)');
    if (remaining > 0) await trainer.train({ steps: remaining, onEvent, signal: abort.signal, validate: true });

    const step = trainer.stepCount;
    if (nonFiniteLoss) {
      const good = progress.checkpoints.latest;
      throw new Error(`${nonFiniteLoss}: the run stops as failed at that step${good ? ` (its last good checkpoint is from step ${good.step}; resume continues from there)` : ''}`);
    }
    /** Validates the model as it is now (and checkpoints it) unless this step was validated already. */
    const validateNow = async (why: string): Promise<void> => {
      if (step === 0 || validatedAtStep === step || (remaining <= 0 && progress.checkpoints.latest?.step === step && progress.lastMetrics)) return;
      log('info', `validating at step ${step} (${why})`);
      if (step % stepsPerEpoch !== 0) endEpoch(step); // the last, partial epoch
      const validation = await trainer.validateAsync('val');
      await recordValidation(step, toMetricValues(validation), validationScore(validation));
    };
    if (control.stopRequest) {
      // A paused run has validation metrics and a best checkpoint for where it stopped.
      if (control.stopRequest === 'pause') await validateNow('paused');
      // Keep what was trained since the last checkpoint, so resume loses nothing.
      if (progress.checkpoints.latest?.step !== step && step > 0) await saveCheckpoint('latest', null);
      saveProgress();
      const state = control.stopRequest === 'pause' ? 'paused' : 'cancelled';
      log('info', `${state} at step ${step}/${totalSteps}`);
      emit({ type: 'state', state });
      return state;
    }
    // Every run ends validated, whatever its length: one that ends mid-epoch too, even when a
    // step checkpoint was just written at its last step.
    await validateNow('end of the run');
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
    heartbeat.stop();
    resources.trainer?.dispose();
    resources.model?.dispose();
    metrics.close();
  }
}
