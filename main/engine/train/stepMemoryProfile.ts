/**
 * Measures the tensor memory one training step needs, for the decoupled loop
 * and for the naive summed-loss loop: the peak of live tensor bytes during the
 * step (tf.profile's peakBytes) minus the bytes alive before it (weights,
 * optimizer moments), i.e. the step's own working memory. The T tasks are of
 * one kind with equal batches, so any growth with T is the loop's doing.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TaskKind } from '../data/taskSample';
import { SeededRandom } from '../../../shared/seededRandom';
import { createUmedptModel, type EncoderName } from '../model/umedptModel';
import { AdamW } from './adamw';
import { decoupledStep } from './decoupledStep';
import { naiveStep } from './naiveStep';
import type { TaskBatch } from './taskBatch';
import { taskKindModule } from '../tasks/taskKindRegistry';

export type StepLoop = 'decoupled' | 'naive';

export interface StepMemoryOptions {
  tasks: number;
  loop: StepLoop;
  kind?: TaskKind;
  encoder?: EncoderName;
  inputSize?: number;
  batchSize?: number;
  numClasses?: number;
  seed?: number;
}

export interface StepMemoryResult {
  /** peak bytes above the resident bytes during the step */
  peakBytes: number;
  /** bytes alive before the step (model + optimizer state) */
  residentBytes: number;
  seconds: number;
}

function randomBatch(task: string, kind: TaskKind, size: number, batchSize: number, numClasses: number, random: SeededRandom): TaskBatch {
  const images = Float32Array.from({ length: batchSize * size * size * 3 }, () => random.next() * 2 - 1);
  const batch: TaskBatch = { task, kind, size, batchSize, images };
  taskKindModule(kind).randomTargets(batch, numClasses, (n) => random.below(n));
  return batch;
}

export async function measureStepMemory(options: StepMemoryOptions): Promise<StepMemoryResult> {
  const kind = options.kind ?? 'segmentation';
  const size = options.inputSize ?? 64;
  const batchSize = options.batchSize ?? 4;
  const numClasses = options.numClasses ?? 3;
  const specs = Array.from({ length: options.tasks }, (_, i) => ({ name: `task${i}`, kind, numClasses }));
  const model = createUmedptModel({ encoder: options.encoder ?? 'small-cnn', inputSize: size, tasks: specs, seed: options.seed ?? 0, squeezerWidth: 128 });
  const optimizers = {
    shared: new AdamW(model.sharedVariables()),
    heads: new Map(specs.map((s) => [s.name, new AdamW(model.headVariables(s.name))])),
  };
  const random = SeededRandom.fromState(options.seed ?? 0);
  const batches = specs.map((s) => randomBatch(s.name, kind, size, batchSize, numClasses, random));
  const settings = { learningRate: 1e-4, headLearningRate: 1e-4, dropoutSeeds: specs.map((_, i) => i) };
  const step = options.loop === 'decoupled' ? () => decoupledStep(model, batches, optimizers, settings) : () => naiveStep(model, batches, optimizers, settings);
  try {
    step(); // warm-up: kernels compiled, lazily created state in place
    const residentBytes = tf.memory().numBytes;
    const started = performance.now();
    const profile = await tf.profile(() => {
      step();
    });
    return { peakBytes: profile.peakBytes - residentBytes, residentBytes, seconds: (performance.now() - started) / 1000 };
  } finally {
    optimizers.shared.dispose();
    for (const o of optimizers.heads.values()) o.dispose();
    model.dispose();
  }
}
