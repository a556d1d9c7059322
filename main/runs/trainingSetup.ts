/**
 * What a run's worker sets up before its first step, from the run folder's
 * config: the backend, the tasks' data, the model, the trainer (with the run
 * length the schedule needs) and the starting point (the latest checkpoint on
 * resume, else an exported encoder when the config names one).
 */
import { initEngine, type EngineInit } from '../engine/backend/initEngine';
import { augmentSample, DEFAULT_AUGMENTATION, NO_AUGMENTATION, type AugmentationSettings } from '../engine/data/augment';
import { SeededRandom } from '../../shared/seededRandom';
import type { TaskData } from '../engine/data/taskSample';
import { loadEncoderWeights } from '../engine/model/encoderExport';
import type { UmedptModel } from '../engine/model/umedptModel';
import { MultiTaskTrainer, type AugmentFn } from '../engine/train/multiTaskTrainer';
import { CheckpointDamaged } from '../engine/train/checkpointIntegrity';
import { existingCheckpoints } from './checkpointChoice';
import type { LrSchedule } from '../engine/train/schedules';
import { CyclicTaskSampler } from '../engine/train/cyclicSampler';
import type { RunConfig } from '../../shared/runConfig';
import type { RunFolder } from './runFolder';
import { loadRunTasks } from './taskDataLoader';
import { attachEngineWindow } from './engineWindowConnection';
import { backendRequestFor } from '../../shared/backendChoice';
import type { EngineWindowClient } from '../engine/browser/engineWindowClient';
import { buildRunModel } from './runModel';

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

export interface TrainingSetup {
  engine: EngineInit;
  tasks: TaskData[];
  stepsPerEpoch: number;
  totalSteps: number;
  totalEpochs: number;
  /** the step a resumed run continues from; null for a fresh start */
  resumedFromStep: number | null;
}

/** The model and trainer it made: the caller disposes them, also when setting up fails half way. */
export interface TrainingResources {
  model: UmedptModel | null;
  trainer: MultiTaskTrainer | null;
}

export async function setUpTraining(
  config: RunConfig,
  folder: RunFolder,
  options: { dataDir: string; resume: boolean },
  made: TrainingResources,
  log: (level: 'info' | 'warn', message: string) => void,
): Promise<TrainingSetup> {
  // the run's config > UMEDPT_BACKEND > the setting (passed by the services' launcher) > automatic
  const request = backendRequestFor(config.backend, process.env);
  const local = await initEngine({ request });
  log('info', `engine backend ${local.backend} (${local.reason})`);
  // In the desktop app, webgpu is Chromium's, in a hidden engine window (docs/engine.md)
  const attached = await attachEngineWindow(request, local);
  const engine: EngineInit = attached.engine;
  const engineWindow: EngineWindowClient | null = attached.window;
  if (attached.note) log(attached.note.level, attached.note.message);
  if (engine.backend !== local.backend) log('info', `engine backend ${engine.backend} (${engine.reason})`);
  log('info', `phase: reading and preprocessing the data of ${config.tasks.length} task(s)`);
  const tasks = await loadRunTasks(config, options.dataDir, (m) => log('info', m));
  log('info', `phase: building the model (${config.model.encoder} at ${config.model.inputSize} px)`);
  const model = buildRunModel(config, tasks);
  made.model = model;
  await engineWindow?.createModel(model.config, config.optimizer.weightDecay);
  const batchSize = Object.fromEntries(config.tasks.map((t) => [t.name, t.batchSize]));
  // The schedule needs the run length, known only once the data is loaded.
  const stepsPerEpoch = new CyclicTaskSampler(
    tasks.map((t) => ({ name: t.name, size: t.train.length, batchSize: batchSize[t.name] ?? 8 })),
    config.seed,
  ).stepsPerEpoch();
  const totalSteps = config.steps ?? (config.epochs ?? 1) * stepsPerEpoch;
  const totalEpochs = Math.ceil(totalSteps / stepsPerEpoch);
  const trainer = new MultiTaskTrainer(model, tasks, {
    batchSize,
    learningRate: config.optimizer.learningRate,
    weightDecay: config.optimizer.weightDecay,
    seed: config.seed,
    augment: augmentationFor(config),
    schedule: scheduleFor(config, totalSteps),
    ...(engineWindow ? { remote: engineWindow } : {}),
  });
  made.trainer = trainer;

  let resumedFromStep: number | null = null;
  // latest first, then best: a damaged checkpoint is named and the next good one used
  const damaged: string[] = [];
  let resumeFrom: { dir: string; which: 'latest' | 'best' } | null = null;
  for (const candidate of options.resume ? existingCheckpoints(folder) : []) {
    try {
      trainer.loadCheckpoint(candidate.dir);
      resumeFrom = candidate;
      break;
    } catch (error) {
      if (!(error instanceof CheckpointDamaged)) throw error;
      damaged.push(error.message);
    }
  }
  if (damaged.length > 0 && !resumeFrom) throw new Error(`no usable checkpoint to resume from: ${damaged.join('; ')}`);
  if (damaged.length > 0) log('warn', `${damaged.join('; ')}; resuming from checkpoints/${resumeFrom!.which} instead`);
  if (resumeFrom) {
    resumedFromStep = trainer.stepCount;
    log('info', `resumed from checkpoints/${resumeFrom.which} at step ${resumedFromStep}`);
  } else {
    if (options.resume) log('warn', 'no checkpoint to resume from yet: starting from the beginning');
    if (config.model.initEncoderFrom) {
      const loaded = await loadEncoderWeights(model, config.model.initEncoderFrom);
      log('info', `encoder initialised from ${config.model.initEncoderFrom}${loaded.squeezerLoaded ? ' (with its squeezer)' : ''}`);
    }
  }

  // the window starts from exactly these weights (seeded, resumed or loaded) and optimizer state
  await trainer.pushToRemote();
  return { engine, tasks, stepsPerEpoch, totalSteps, totalEpochs, resumedFromStep };
}
