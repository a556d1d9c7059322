/**
 * The multi-task trainer: cyclic sampling, the memory-decoupled step, AdamW
 * for the shared weights and one per head, validation, `latest` / `best`
 * checkpoints and exact resume. Every random choice (sampling order,
 * augmentation, dropout) is a pure function of (seed, counters), so the
 * checkpoint (weights + moments + counters + sampler state) is enough to
 * continue a run bit-for-bit on the same backend.
 */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { augmentSample, type AugmentationSettings } from '../data/augment';
import type { TaskData, TaskKind, TaskSample } from '../data/taskSample';
import { exportEncoder, loadEncoderWeights, type EncoderManifest } from '../model/encoderExport';
import type { DecodeOptions } from '../model/fcosDecode';
import { SeededRandom, hashSeed } from '../../../shared/seededRandom';
import type { UmedptModel } from '../model/umedptModel';
import { AdamW, defaultAdamW } from './adamw';
import { isNewBest, validationScore } from './checkpointPolicy';
import { checkpointKeys, checkpointParts, checkpointValues, readCheckpointFiles, writeCheckpointFiles, type NamedArray } from './checkpointFiles';
import { CyclicTaskSampler, type SamplerTaskState } from './cyclicSampler';
import { decoupledStep, decoupledStepAsync, type StepOptimizers, type StepOutcome, type StepSettings } from './decoupledStep';
import { evaluateTask, evaluateTaskAsync, predictTask, type EvaluateOptions, type TaskMetrics, type TaskPrediction } from './prediction';
import { learningRateAt, type LrSchedule } from './schedules';
import { assembleBatch, type TaskBatch } from './taskBatch';
import type { EngineOptimizerStates, EngineStepSettings, EngineWeightArray } from '../browser/engineWindowProtocol';

/**
 * Where the steps run when not here: the desktop app's engine window
 * (EngineWindowClient, main/engine/browser). It holds its own copy of the
 * model and optimizers; the trainer keeps sampling, schedule and checkpoints,
 * and copies the window's state back before it validates or saves.
 */
export interface RemoteStepEngine {
  step(batches: TaskBatch[], settings: EngineStepSettings): Promise<Record<string, number>>;
  state(): Promise<{ weights: EngineWeightArray[]; optimizers: EngineOptimizerStates }>;
  setState(weights: EngineWeightArray[], optimizers?: EngineOptimizerStates): Promise<void>;
}

export type AugmentFn = (sample: TaskSample, seed: number, kind: TaskKind) => TaskSample;

export interface TrainerOptions {
  /** one batch size for all tasks, or per task name (default 8) */
  batchSize?: number | Record<string, number>;
  /** shared-weight learning rate (ref: 1e-4) */
  learningRate?: number;
  /** head learning rate (default: learningRate) */
  headLearningRate?: number;
  /** decoupled weight decay (ref: 1e-2) */
  weightDecay?: number;
  schedule?: LrSchedule;
  clipGradNorm?: number;
  seed?: number;
  /** the data module's seeded augmentations (masks and boxes follow the image); null/absent = none */
  augmentation?: AugmentationSettings | null;
  /** a custom per-sample augmentation (overrides `augmentation`) */
  augment?: AugmentFn;
  decode?: DecodeOptions;
  evalBatchSize?: number;
  /**
   * build the next step's batches while the device runs this step's queued
   * work (default true). Batches are the same either way (seeded by step).
   */
  prefetch?: boolean;
  /** run every step on this engine instead (call pushToRemote() after loading weights) */
  remote?: RemoteStepEngine;
}

export interface StepResult {
  step: number;
  epoch: number;
  taskLosses: Record<string, number>;
  taskSeconds: Record<string, number>;
  learningRate: number;
  images: number;
  seconds: number;
  /**
   * time spent building batches inside this call: this step's if none were
   * prefetched, plus the prefetch of the next step's (on backends that run
   * synchronously, wasm and cpu, the prefetch does not overlap: counting it
   * keeps the loading share honest)
   */
  loadSeconds: number;
}

export type TrainEvent =
  | {
      type: 'step';
      step: number;
      epoch: number;
      taskLosses: Record<string, number>;
      learningRate: number;
      imagesPerSecond: number;
      /** share of the step's wall time spent assembling batches */
      loadShare: number;
      tensorMemory: { numTensors: number; numBytes: number };
    }
  | {
      type: 'validation';
      step: number;
      epoch: number;
      metrics: Record<string, TaskMetrics>;
      /** mean of the tasks' primary metrics */
      score: number;
      isBest: boolean;
      tensorMemory: { numTensors: number; numBytes: number };
    };

export interface TrainRequest {
  epochs?: number;
  steps?: number;
  /** awaited: a checkpoint it saves is complete before the next step */
  onEvent?: (event: TrainEvent) => unknown;
  /** writes <dir>/latest after every epoch and <dir>/best on improvement */
  checkpointDir?: string;
  /** validate at the end of every epoch (default true) */
  validate?: boolean;
  signal?: AbortSignal;
}

export interface TrainSummary {
  steps: number;
  epochs: number;
  bestScore: number | null;
  lastMetrics: Record<string, TaskMetrics> | null;
}

interface TrainerState {
  step: number;
  bestScore: number | null;
  bestStep: number | null;
}

function tensorMemory(): { numTensors: number; numBytes: number } {
  const m = tf.memory();
  return { numTensors: m.numTensors, numBytes: m.numBytes };
}

export class MultiTaskTrainer {
  readonly options: Required<Omit<TrainerOptions, 'augment' | 'augmentation' | 'schedule' | 'clipGradNorm' | 'decode' | 'batchSize' | 'remote'>> & TrainerOptions;
  private readonly augment: AugmentFn | null;
  readonly sampler: CyclicTaskSampler;
  private readonly sharedOptimizer: AdamW;
  private readonly headOptimizers = new Map<string, AdamW>();
  private state: TrainerState = { step: 0, bestScore: null, bestStep: null };
  /** batches built ahead for `step`, with the sampler state from before they were drawn (what a checkpoint saves) */
  private prefetched: { step: number; batches: TaskBatch[]; samplerBefore: SamplerTaskState[] } | null = null;
  /** the step count when the local model last matched the remote engine's */
  private pulledAtStep = 0;

  constructor(
    readonly model: UmedptModel,
    readonly tasks: TaskData[],
    options: TrainerOptions = {},
  ) {
    const learningRate = options.learningRate ?? defaultAdamW.learningRate;
    this.options = {
      ...options,
      learningRate,
      headLearningRate: options.headLearningRate ?? learningRate,
      weightDecay: options.weightDecay ?? defaultAdamW.weightDecay,
      seed: options.seed ?? model.config.seed,
      evalBatchSize: options.evalBatchSize ?? 16,
      prefetch: options.prefetch ?? true,
    };
    const settings = options.augmentation;
    this.augment = options.augment ?? (settings ? (sample, seed) => augmentSample(sample, settings, new SeededRandom(seed)) : null);
    for (const t of tasks) {
      const spec = model.task(t.name);
      if (spec.kind !== t.kind) throw new Error(`task '${t.name}' is ${t.kind} data but a ${spec.kind} head in the model`);
    }
    const batchSize = (name: string): number => {
      const b = options.batchSize;
      return typeof b === 'number' ? b : (b?.[name] ?? 8);
    };
    this.sampler = new CyclicTaskSampler(
      tasks.map((t) => ({ name: t.name, size: t.train.length, batchSize: batchSize(t.name) })),
      this.options.seed,
    );
    const adam = { weightDecay: this.options.weightDecay };
    this.sharedOptimizer = new AdamW(model.sharedVariables(), { ...adam, learningRate });
    for (const t of tasks) this.headOptimizers.set(t.name, new AdamW(model.headVariables(t.name), { ...adam, learningRate: this.options.headLearningRate }));
  }

  get stepCount(): number {
    return this.state.step;
  }

  get stepsPerEpoch(): number {
    return this.sampler.stepsPerEpoch();
  }

  /** completed epochs */
  get epoch(): number {
    return Math.floor(this.state.step / this.stepsPerEpoch);
  }

  get bestScore(): number | null {
    return this.state.bestScore;
  }

  /** the batches of step `step`, the sampler's next draw (advances the sampler) */
  private drawBatches(step: number): TaskBatch[] {
    return this.sampler.nextStep().map((indices, t) => {
      const task = this.tasks[t]!;
      const samples = indices.map((i, k) => {
        const sample = task.train[i]!;
        // the seed depends only on (run seed, step, task, slot): batches can be rebuilt after a resume
        return this.augment ? this.augment(sample, hashSeed(this.options.seed, 11, step, t, k), task.kind) : sample;
      });
      return assembleBatch(task.name, task.kind, samples);
    });
  }

  /** one decoupled step: one batch of every task (losses read with dataSync) */
  step(): StepResult {
    const prepared = this.prepareStep();
    return this.finishStep(prepared, decoupledStep(this.model, prepared.batches, prepared.optimizers, prepared.settings));
  }

  /** the same step, losses read with data(): what train() uses (webgpu in Node has no dataSync) */
  async stepAsync(): Promise<StepResult> {
    const prepared = this.prepareStep();
    const remote = this.options.remote;
    if (remote) {
      const { learningRate, headLearningRate, clipGradNorm, dropoutSeeds, whileDeviceBusy } = prepared.settings;
      const pending = remote.step(prepared.batches, { learningRate, headLearningRate, dropoutSeeds, ...(clipGradNorm === undefined ? {} : { clipGradNorm }) });
      // the next batches are built while the window computes
      whileDeviceBusy?.();
      return this.finishStep(prepared, { losses: await pending, taskSeconds: {} });
    }
    return this.finishStep(prepared, await decoupledStepAsync(this.model, prepared.batches, prepared.optimizers, prepared.settings));
  }

  /** gives the remote engine this trainer's weights and optimizer state (after a resume or loading an encoder) */
  async pushToRemote(): Promise<void> {
    const remote = this.options.remote;
    if (!remote) return;
    const read = async (t: tf.Tensor): Promise<Float32Array> => (await t.data()) as Float32Array;
    const weights: EngineWeightArray[] = [];
    for (const part of this.namedParts()) for (const [i, v] of part.variables.entries()) weights.push({ key: checkpointKeys.weight(part.key, i), shape: v.shape, values: await read(v) });
    const stateOf = async (o: AdamW) => {
      const s = o.getState();
      return { steps: s.steps, m: await Promise.all(s.m.map(read)), v: await Promise.all(s.v.map(read)) };
    };
    const heads: EngineOptimizerStates['heads'] = {};
    for (const [task, o] of this.headOptimizers) heads[task] = await stateOf(o);
    await remote.setState(weights, { shared: await stateOf(this.sharedOptimizer), heads });
    this.pulledAtStep = this.state.step;
  }

  /** copies the remote engine's weights and optimizer state here, once per step count */
  private async pullFromRemote(): Promise<void> {
    const remote = this.options.remote;
    if (!remote || this.pulledAtStep === this.state.step) return;
    const { weights, optimizers } = await remote.state();
    const byKey = new Map(weights.map((w) => [w.key, w]));
    for (const part of this.namedParts()) {
      part.variables.forEach((v, i) => v.assign(tf.tensor(checkpointValues(byKey, 'the engine window', checkpointKeys.weight(part.key, i), v.size), v.shape)));
    }
    this.sharedOptimizer.setState(optimizers.shared);
    for (const [task, o] of this.headOptimizers) {
      const s = optimizers.heads[task];
      if (!s) throw new Error(`the engine window sent no optimizer state for task '${task}'`);
      o.setState(s);
    }
    this.pulledAtStep = this.state.step;
  }

  private prepareStep(): { started: number; batches: TaskBatch[]; optimizers: StepOptimizers; settings: StepSettings; loadSeconds: () => number } {
    const started = performance.now();
    const step = this.state.step;
    const ready = this.prefetched?.step === step ? this.prefetched.batches : null;
    this.prefetched = null;
    const batches = ready ?? this.drawBatches(step);
    let loadSeconds = (performance.now() - started) / 1000;
    const prefetchNext = (): void => {
      const t0 = performance.now();
      const samplerBefore = this.sampler.getState();
      this.prefetched = { step: step + 1, batches: this.drawBatches(step + 1), samplerBefore };
      loadSeconds += (performance.now() - t0) / 1000;
    };
    const learningRate = learningRateAt(this.options.learningRate, this.options.schedule, step);
    const headLearningRate = learningRateAt(this.options.headLearningRate, this.options.schedule, step);
    return {
      started,
      batches,
      optimizers: { shared: this.sharedOptimizer, heads: this.headOptimizers },
      settings: {
        learningRate,
        headLearningRate,
        clipGradNorm: this.options.clipGradNorm,
        dropoutSeeds: batches.map((_, t) => hashSeed(this.options.seed, 13, step, t)),
        ...(this.options.prefetch ? { whileDeviceBusy: prefetchNext } : {}),
      },
      loadSeconds: () => loadSeconds,
    };
  }

  private finishStep(prepared: ReturnType<MultiTaskTrainer['prepareStep']>, outcome: StepOutcome): StepResult {
    this.state.step += 1;
    const seconds = (performance.now() - prepared.started) / 1000;
    return {
      step: this.state.step,
      epoch: this.epoch,
      taskLosses: outcome.losses,
      taskSeconds: outcome.taskSeconds,
      learningRate: prepared.settings.learningRate,
      images: prepared.batches.reduce((n, b) => n + b.batchSize, 0),
      seconds,
      loadSeconds: prepared.loadSeconds(),
    };
  }

  private stepEvent(r: StepResult): TrainEvent {
    return {
      type: 'step',
      step: r.step,
      epoch: r.epoch,
      taskLosses: r.taskLosses,
      learningRate: r.learningRate,
      imagesPerSecond: r.images / r.seconds,
      loadShare: r.loadSeconds / r.seconds,
      tensorMemory: tensorMemory(),
    };
  }

  /** steps until the end of the current epoch */
  runEpoch(onEvent?: (event: TrainEvent) => void): StepResult[] {
    const results: StepResult[] = [];
    do {
      const r = this.step();
      results.push(r);
      onEvent?.(this.stepEvent(r));
    } while (this.state.step % this.stepsPerEpoch !== 0);
    return results;
  }

  /** validate with data() reads: on every backend (webgpu in Node has no dataSync) */
  /** how a task is evaluated: its batch size, box decoding, and the classes scored (names, background) */
  private evaluateOptions(t: TaskData): EvaluateOptions {
    return { batchSize: this.options.evalBatchSize, decode: this.options.decode, classNames: t.classNames, ...(t.backgroundClass !== undefined ? { backgroundClass: t.backgroundClass } : {}) };
  }

  async validateAsync(split: 'val' | 'test' = 'val'): Promise<Record<string, TaskMetrics>> {
    await this.pullFromRemote();
    const metrics: Record<string, TaskMetrics> = {};
    for (const t of this.tasks) {
      if (!t[split].length) continue;
      metrics[t.name] = await evaluateTaskAsync(this.model, t.name, t[split], this.evaluateOptions(t));
    }
    return metrics;
  }

  /** saveCheckpoint after reading every tensor with data() first (their values are then cached for its dataSync) */
  async saveCheckpointAsync(dir: string): Promise<void> {
    await this.pullFromRemote();
    const tensors: tf.Tensor[] = this.namedParts().flatMap((p) => p.variables);
    for (const { optimizer } of this.optimizers()) {
      const s = optimizer.getState();
      tensors.push(...s.m, ...s.v);
    }
    await Promise.all(tensors.map((t) => t.data()));
    this.saveCheckpoint(dir);
  }

  /** metrics of every task on its val (or test) split */
  validate(split: 'val' | 'test' = 'val'): Record<string, TaskMetrics> {
    const metrics: Record<string, TaskMetrics> = {};
    for (const t of this.tasks) {
      if (!t[split].length) continue;
      metrics[t.name] = evaluateTask(this.model, t.name, t[split], this.evaluateOptions(t));
    }
    return metrics;
  }

  /**
   * Runs `steps` steps or `epochs` epochs (from the current position),
   * validating and checkpointing at each epoch end. Yields to the event loop
   * between steps so a caller can abort or serve requests.
   */
  async train(request: TrainRequest): Promise<TrainSummary> {
    const target = request.steps !== undefined ? this.state.step + request.steps : (this.epoch + (request.epochs ?? 1)) * this.stepsPerEpoch;
    const doValidate = request.validate ?? true;
    let lastMetrics: Record<string, TaskMetrics> | null = null;
    while (this.state.step < target) {
      if (request.signal?.aborted) break;
      const r = await this.stepAsync();
      await request.onEvent?.(this.stepEvent(r));
      if (this.state.step % this.stepsPerEpoch === 0) {
        let isBest = false;
        if (doValidate) {
          lastMetrics = await this.validateAsync('val');
          const score = validationScore(lastMetrics);
          isBest = isNewBest(this.state.bestScore, score);
          if (isBest) {
            this.state.bestScore = score;
            this.state.bestStep = this.state.step;
          }
          await request.onEvent?.({ type: 'validation', step: this.state.step, epoch: this.epoch, metrics: lastMetrics, score, isBest, tensorMemory: tensorMemory() });
        }
        if (request.checkpointDir) {
          await this.saveCheckpointAsync(path.join(request.checkpointDir, 'latest'));
          if (isBest) await this.saveCheckpointAsync(path.join(request.checkpointDir, 'best'));
        }
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return { steps: this.state.step, epochs: this.epoch, bestScore: this.state.bestScore, lastMetrics };
  }

  private namedParts(): Array<{ key: string; variables: tf.Variable[] }> {
    return checkpointParts(
      this.model,
      this.tasks.map((t) => t.name),
    ).map((part) => ({ key: part.key, variables: part.layers.weights.map((w) => w.read() as tf.Variable) }));
  }

  private optimizers(): Array<{ key: string; optimizer: AdamW }> {
    return [{ key: checkpointKeys.sharedOptimizer, optimizer: this.sharedOptimizer }, ...this.tasks.map((t) => ({ key: checkpointKeys.headOptimizer(t.name), optimizer: this.headOptimizers.get(t.name)! }))];
  }

  /** writes a complete checkpoint to `dir` (atomically: temp folder + rename) */
  saveCheckpoint(dir: string): void {
    const arrays: NamedArray[] = [];
    const add = (key: string, t: tf.Tensor): void => {
      arrays.push({ key, shape: t.shape, values: t.dataSync() as Float32Array });
    };
    for (const part of this.namedParts()) part.variables.forEach((v, i) => add(checkpointKeys.weight(part.key, i), v));
    const optimizerSteps: Record<string, number[]> = {};
    for (const { key, optimizer } of this.optimizers()) {
      const s = optimizer.getState();
      optimizerSteps[key] = s.steps;
      s.m.forEach((m, i) => add(checkpointKeys.moment(key, 'm', i), m));
      s.v.forEach((v, i) => add(checkpointKeys.moment(key, 'v', i), v));
    }
    writeCheckpointFiles(
      dir,
      {
        savedAt: new Date().toISOString(),
        modelConfig: this.model.config,
        tasks: this.tasks.map((t) => t.name),
        seed: this.options.seed,
        trainer: this.state,
        // a prefetched step has not been trained: save the sampler as it was before drawing it
        sampler: this.prefetched ? this.prefetched.samplerBefore : this.sampler.getState(),
        optimizerSteps,
      },
      arrays,
    );
  }

  /** restores weights, optimizer moments, counters and sampler state from `dir` */
  loadCheckpoint(dir: string): void {
    const { meta, arrays } = readCheckpointFiles(dir);
    const savedConfig = JSON.stringify(meta.modelConfig);
    if (savedConfig !== JSON.stringify(this.model.config)) throw new Error(`${dir}: the checkpoint was made for another model configuration (${savedConfig})`);
    const savedTasks = JSON.stringify(meta.tasks);
    if (savedTasks !== JSON.stringify(this.tasks.map((t) => t.name))) throw new Error(`${dir}: the checkpoint's tasks ${savedTasks} differ from this run's`);
    if (meta.seed !== this.options.seed) throw new Error(`${dir}: the checkpoint's seed ${String(meta.seed)} differs from this run's ${this.options.seed}`);
    const take = (key: string, size: number): Float32Array => checkpointValues(arrays, dir, key, size);
    for (const part of this.namedParts()) {
      part.variables.forEach((v, i) => v.assign(tf.tensor(take(checkpointKeys.weight(part.key, i), v.size), v.shape)));
    }
    const steps = meta.optimizerSteps as Record<string, number[]>;
    for (const { key, optimizer } of this.optimizers()) {
      const sizes = optimizer.variables.map((v) => v.size);
      optimizer.setState({
        steps: steps[key] ?? [],
        m: sizes.map((n, i) => take(checkpointKeys.moment(key, 'm', i), n)),
        v: sizes.map((n, i) => take(checkpointKeys.moment(key, 'v', i), n)),
      });
    }
    this.sampler.setState(meta.sampler as SamplerTaskState[]);
    this.prefetched = null;
    this.state = { ...(meta.trainer as TrainerState) };
  }

  /** squeezer vectors (HWC float images of the model's input size) */
  embed(images: Float32Array[]): Float32Array[] {
    const size = this.model.config.inputSize;
    const out: Float32Array[] = [];
    const bs = this.options.evalBatchSize;
    for (let start = 0; start < images.length; start += bs) {
      const chunk = images.slice(start, start + bs);
      const vectors = tf.tidy(() => {
        const data = new Float32Array(chunk.length * size * size * 3);
        chunk.forEach((img, i) => data.set(img, i * size * size * 3));
        return this.model.embed(tf.tensor4d(data, [chunk.length, size, size, 3]));
      });
      const flat = vectors.dataSync() as Float32Array;
      const width = vectors.shape[1];
      vectors.dispose();
      for (let i = 0; i < chunk.length; i++) out.push(flat.slice(i * width, (i + 1) * width));
    }
    return out;
  }

  predict(task: string, images: Float32Array[]): TaskPrediction {
    return predictTask(this.model, task, images, { batchSize: this.options.evalBatchSize, decode: this.options.decode });
  }

  exportEncoder(dir: string): Promise<EncoderManifest> {
    return exportEncoder(this.model, dir);
  }

  loadEncoderWeights(dir: string): Promise<{ squeezerLoaded: boolean }> {
    return loadEncoderWeights(this.model, dir);
  }

  /** frees the optimizer state (the model belongs to the caller) */
  dispose(): void {
    this.sharedOptimizer.dispose();
    for (const o of this.headOptimizers.values()) o.dispose();
  }
}
