/**
 * A label-efficiency study, in process: for every encoder, mode, seed and
 * data fraction, train on the nested subset and score on the fixed test
 * split. Frozen classification trains a linear probe on embeddings computed
 * once per encoder (and per seed for a random encoder, whose weights follow
 * the seed); every other combination trains with the multi-task trainer on
 * the one downstream task (frozen: encoder and squeezer not trainable).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TaskKind, TaskSample } from '../engine/data/taskSample';
import type { UmedptModel } from '../engine/model/umedptModel';
import { MultiTaskTrainer } from '../engine/train/multiTaskTrainer';
import { evaluateTask } from '../engine/train/prediction';
import { taskKindModule } from '../engine/tasks/taskKindRegistry';
import type { EvalConfig, EvalMode, EvalResultRow } from '../../shared/api/eval';
import { computeEmbeddings, selectRows, type EmbeddingMatrix } from './embeddings';
import { buildDownstreamModel, resolveEncoder, type ResolvedEncoder } from './studyEncoders';
import type { StudyTaskData } from './studyTaskData';
import { classificationScores } from './downstreamMetrics';
import { labelFractionSubsets, type FractionSubset } from './labelFractionSubsets';
import { trainLinearProbe } from './linearProbe';

export interface StudyHooks {
  /** called after every row (done counts rows so far) */
  onRow?: (row: EvalResultRow, done: number, total: number) => void;
  onLog?: (message: string) => void;
  signal?: AbortSignal;
}

export interface StudyOutcome {
  rows: EvalResultRow[];
  encoders: ResolvedEncoder[];
}

export function studySize(config: EvalConfig): number {
  return config.encoders.length * config.modes.length * config.seeds * config.fractions.length;
}

export function stratumOf(sample: TaskSample): number {
  // only single-label classification has a class to stratify by
  return typeof sample.label === 'number' ? sample.label : 0;
}

function checkAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new StudyCancelled();
}

/**
 * Lets the worker's message loop run before checking: a probe's training is
 * synchronous, so without this yield a cancel message would only be read
 * after the last row.
 */
async function yieldThenCheckAborted(signal?: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  checkAborted(signal);
}

export class StudyCancelled extends Error {
  constructor() {
    super('the study was cancelled');
  }
}

function tooSmallRow(base: Omit<EvalResultRow, 'status' | 'metrics' | 'seconds' | 'trainImages'>, subset: FractionSubset, classNames: string[]): EvalResultRow {
  const missing = subset.missingStrata.map((s) => classNames[s] ?? String(s));
  return {
    ...base,
    trainImages: subset.indices.length,
    status: 'tooSmall',
    note: `${subset.fraction}% is ${subset.indices.length} image(s), too few to hold one of every class (missing: ${missing.join(', ')}); not trained`,
    metrics: {},
    seconds: 0,
  };
}

async function linearProbeRows(
  encoder: ResolvedEncoder,
  task: StudyTaskData,
  config: EvalConfig,
  subsetsBySeed: FractionSubset[][],
  emit: (row: EvalResultRow) => void,
  hooks: StudyHooks,
): Promise<void> {
  const cache = new Map<number, { train: EmbeddingMatrix; test: EmbeddingMatrix }>();
  const embeddingsFor = async (seed: number) => {
    const modelSeed = encoder.seedDependent ? seed : 0;
    let hit = cache.get(modelSeed);
    if (!hit) {
      const started = performance.now();
      const model = await buildDownstreamModel(encoder, { name: task.name, kind: task.kind, numClasses: task.classNames.length }, config.inputSize, modelSeed);
      try {
        hit = {
          train: computeEmbeddings(model, task.train.map((s) => s.image)),
          test: computeEmbeddings(model, task.test.map((s) => s.image)),
        };
      } finally {
        model.dispose();
      }
      cache.set(modelSeed, hit);
      hooks.onLog?.(`${encoder.label}: embedded ${task.train.length + task.test.length} images once in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    return hit;
  };
  const truth = task.test.map(stratumOf);
  const labels = task.train.map(stratumOf);
  for (let seed = 0; seed < config.seeds; seed++) {
    const embeddings = await embeddingsFor(seed);
    for (const subset of subsetsBySeed[seed]!) {
      await yieldThenCheckAborted(hooks.signal);
      const base = { encoder: encoder.label, mode: 'frozen' as EvalMode, fraction: subset.fraction, seed, testImages: task.test.length };
      if (subset.tooSmall) {
        emit(tooSmallRow(base, subset, task.classNames));
        continue;
      }
      const started = performance.now();
      const probe = trainLinearProbe(
        selectRows(embeddings.train, subset.indices),
        subset.indices.map((i) => labels[i]!),
        task.classNames.length,
        { epochs: config.linearEpochs, learningRate: config.linearLearningRate },
      );
      const probabilities = probe.predict(embeddings.test);
      emit({ ...base, trainImages: subset.indices.length, status: 'ok', metrics: classificationScores(truth, probabilities, task.classNames.length), seconds: (performance.now() - started) / 1000 });
    }
    // a seed-independent encoder's embeddings serve every seed; a random one's only its own
    if (encoder.seedDependent) cache.clear();
  }
}

async function trainedRows(
  encoder: ResolvedEncoder,
  mode: EvalMode,
  task: StudyTaskData,
  config: EvalConfig,
  subsetsBySeed: FractionSubset[][],
  emit: (row: EvalResultRow) => void,
  hooks: StudyHooks,
): Promise<void> {
  for (let seed = 0; seed < config.seeds; seed++) {
    for (const subset of subsetsBySeed[seed]!) {
      await yieldThenCheckAborted(hooks.signal);
      const base = { encoder: encoder.label, mode, fraction: subset.fraction, seed, testImages: task.test.length };
      if (subset.tooSmall) {
        emit(tooSmallRow(base, subset, task.classNames));
        continue;
      }
      const started = performance.now();
      const model = await buildDownstreamModel(encoder, { name: task.name, kind: task.kind, numClasses: task.classNames.length }, config.inputSize, seed);
      try {
        if (mode === 'frozen') {
          // trainableWeights then omit them, so neither gradients nor the optimizer touch them
          model.encoder.model.trainable = false;
          model.squeezer.trainable = false;
        }
        const train = subset.indices.map((i) => task.train[i]!);
        if (mode === 'finetune' && taskKindModule(task.kind).frozenStudy === 'linearProbe') {
          startHeadFromProbe(model, task.name, train, task.classNames.length, config);
        }
        const batchSize = Math.min(config.batchSize, train.length);
        const trainer = new MultiTaskTrainer(model, [{ name: task.name, kind: task.kind, classNames: task.classNames, train, val: [], test: [] }], {
          batchSize,
          learningRate: sharedLearningRate(mode, task.kind, config),
          headLearningRate: config.learningRate,
          seed,
        });
        const steps = Math.max(config.minSteps, config.epochs * Math.ceil(train.length / batchSize));
        await trainer.train({ steps, validate: false, signal: hooks.signal });
        checkAborted(hooks.signal);
        const metrics = evaluateTask(model, task.name, task.test, { classNames: task.classNames, ...(task.backgroundClass !== undefined ? { backgroundClass: task.backgroundClass } : {}) });
        trainer.dispose();
        // NaN marks a class absent from the test split's truth and prediction: not applicable, left out
        const values = Object.fromEntries(Object.entries(metrics.values).filter(([, v]) => Number.isFinite(v)));
        emit({ ...base, trainImages: train.length, status: 'ok', metrics: values, seconds: (performance.now() - started) / 1000 });
      } finally {
        model.dispose();
      }
    }
  }
}

/**
 * The learning rate of the model's shared weights. Fine-tuning a kind whose
 * only shared weights are pretrained ones (classification: encoder and
 * squeezer) moves them gently (encoderLearningRate, default a tenth of the
 * head's), so a short fine-tune on a few images adapts the encoder rather
 * than overwriting it. Segmentation and detection share a decoder that is
 * fresh in a study, so their shared weights keep the full rate.
 */
export function sharedLearningRate(mode: EvalMode, kind: TaskKind, config: EvalConfig): number {
  if (mode !== 'finetune' || taskKindModule(kind).sharedBranch !== 'squeezer') return config.learningRate;
  return config.encoderLearningRate ?? config.learningRate / 10;
}

/**
 * Fine-tuning a classifier starts its head from a linear probe on the
 * encoder's own vectors of the subset (LP-FT): a randomly initialised head
 * sends noise into the encoder for the first steps and, in a short budget,
 * ends near the majority class; a probed head starts where the frozen mode
 * ends (docs/eval.md). The probe sees what the head sees,
 * ReLU of the squeezer vector. Multi-label heads keep their initialisation.
 */
function startHeadFromProbe(model: UmedptModel, taskName: string, train: readonly TaskSample[], numClasses: number, config: EvalConfig): void {
  if (!train.every((s) => typeof s.label === 'number')) return;
  const vectors = computeEmbeddings(model, train.map((s) => s.image));
  const probe = trainLinearProbe({ ...vectors, values: vectors.values.map((v) => Math.max(0, v)) }, train.map(stratumOf), numClasses, {
    epochs: config.linearEpochs,
    learningRate: config.linearLearningRate,
  });
  const { kernel, bias } = probe.denseWeights();
  const dense = model.heads.get(taskName)!.model.layers.find((layer) => layer.getWeights().length === 2)!;
  const weights = [tf.tensor2d(kernel, [vectors.width, numClasses]), tf.tensor1d(bias)];
  dense.setWeights(weights);
  tf.dispose(weights);
}

export async function runStudy(config: EvalConfig, task: StudyTaskData, dataDir: string, hooks: StudyHooks = {}): Promise<StudyOutcome> {
  const encoders = config.encoders.map((e) => resolveEncoder(e, dataDir));
  const labels = new Set<string>();
  for (const e of encoders) {
    if (labels.has(e.label)) throw new Error(`two encoders are both labelled "${e.label}"; give them distinct labels`);
    labels.add(e.label);
  }
  const items = task.train.map((s) => ({ stratum: stratumOf(s), group: s.group ?? null }));
  const fractions = [...config.fractions].sort((a, b) => a - b);
  const subsetsBySeed = Array.from({ length: config.seeds }, (_, seed) => labelFractionSubsets(items, fractions, seed));
  const total = studySize(config);
  const rows: EvalResultRow[] = [];
  const emit = (row: EvalResultRow) => {
    rows.push(row);
    hooks.onRow?.(row, rows.length, total);
  };
  for (const encoder of encoders) {
    for (const mode of config.modes) {
      const before = tf.memory().numTensors;
      if (mode === 'frozen' && taskKindModule(task.kind).frozenStudy === 'linearProbe') await linearProbeRows(encoder, task, config, subsetsBySeed, emit, hooks);
      else await trainedRows(encoder, mode, task, config, subsetsBySeed, emit, hooks);
      const leaked = tf.memory().numTensors - before;
      if (leaked > 0) hooks.onLog?.(`${encoder.label} / ${mode}: ${leaked} tensors still alive after the mode finished`);
    }
  }
  return { rows, encoders };
}
