/**
 * The memory-decoupled multi-task step (docs/method-choices.md, "Decoupled
 * step"), the heart of the method: tasks are
 * visited one after another; for each, forward + loss + gradients of (the
 * shared weights it uses + its head) are computed, the shared gradients are
 * added into accumulators, the head's own optimizer steps at once, and every
 * tensor of that task is released before the next task. After the last task
 * the shared optimizer steps once on the accumulated gradients. Peak memory
 * is one task's graph, whatever the number of tasks.
 *
 * The losses are read only at the very end (scalars kept until then), so on
 * backends that queue work (tfjs-node-gpu, WebGL/WebGPU) the whole step is
 * queued before the first read, and `whileDeviceBusy` (the trainer's batch
 * prefetch for the next step) runs on the CPU while the device computes.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { UmedptModel } from '../model/umedptModel';
import type { AdamW } from './adamw';
import { clipByGlobalNormOnDevice } from './gradientClipping';
import { taskLoss } from './taskLoss';
import type { TaskBatch } from './taskBatch';

export interface StepOptimizers {
  /** over model.sharedVariables(), in that order */
  shared: AdamW;
  heads: Map<string, AdamW>;
}

export interface StepSettings {
  learningRate: number;
  headLearningRate: number;
  /** clip the shared (and each head's) gradient to this global norm */
  clipGradNorm?: number;
  /** dropout seed per task of the step */
  dropoutSeeds: number[];
  /** CPU work to overlap with the queued device work, run before the losses are read */
  whileDeviceBusy?: () => void;
}

export function applyWithClipping(optimizer: AdamW, grads: Array<tf.Tensor | null>, learningRate: number, clipGradNorm?: number): void {
  // Stryker disable next-line ConditionalExpression,BlockStatement: equivalent, clipping to an undefined norm scales by 1 (the shortcut saves the copies)
  if (clipGradNorm === undefined) {
    optimizer.apply(grads, learningRate);
    return;
  }
  // no readback of the norm: a step stays queued on GPU backends
  const clipped = clipByGlobalNormOnDevice(grads, clipGradNorm);
  optimizer.apply(clipped, learningRate);
  // Stryker disable next-line MethodExpression: equivalent, tf.dispose skips nulls (the filter is for the types)
  tf.dispose(clipped.filter((g): g is tf.Tensor => !!g));
}

export interface StepOutcome {
  /** each task's loss in this step */
  losses: Record<string, number>;
  /** wall time spent on each task (forward, backward, head update) */
  taskSeconds: Record<string, number>;
}

/** one decoupled step over one batch per task, losses read synchronously (backends with dataSync) */
export function decoupledStep(model: UmedptModel, batches: TaskBatch[], optimizers: StepOptimizers, settings: StepSettings): StepOutcome {
  const queued = queueDecoupledStep(model, batches, optimizers, settings);
  const losses: Record<string, number> = {};
  for (const [task, value] of queued.lossScalars) {
    losses[task] = value.dataSync()[0]!;
    value.dispose();
  }
  return { losses, taskSeconds: queued.taskSeconds };
}

/** the same step, losses read asynchronously (webgpu in Node has no synchronous read) */
export async function decoupledStepAsync(model: UmedptModel, batches: TaskBatch[], optimizers: StepOptimizers, settings: StepSettings): Promise<StepOutcome> {
  const queued = queueDecoupledStep(model, batches, optimizers, settings);
  const losses: Record<string, number> = {};
  try {
    // one read of all losses: a single wait for the queued step
    const stacked = tf.stack(queued.lossScalars.map(([, v]) => v));
    const values = await stacked.data();
    stacked.dispose();
    queued.lossScalars.forEach(([task], i) => (losses[task] = values[i]!));
  } finally {
    tf.dispose(queued.lossScalars.map(([, v]) => v));
  }
  return { losses, taskSeconds: queued.taskSeconds };
}

/** queues the step's work; the loss scalars are the caller's to read and dispose */
function queueDecoupledStep(model: UmedptModel, batches: TaskBatch[], optimizers: StepOptimizers, settings: StepSettings): { lossScalars: Array<[string, tf.Tensor]>; taskSeconds: Record<string, number> } {
  const sharedVars = optimizers.shared.variables;
  const sharedIndex = new Map(sharedVars.map((v, i) => [v, i]));
  // Stryker disable next-line ArrowFunction: equivalent, undefined is as empty as null for the accumulation below
  const accumulators: Array<tf.Tensor | null> = sharedVars.map(() => null);
  const lossScalars: Array<[string, tf.Tensor]> = [];
  const taskSeconds: Record<string, number> = {};
  batches.forEach((batch, t) => {
    const started = performance.now();
    const spec = model.task(batch.task);
    const headOptimizer = optimizers.heads.get(batch.task);
    if (!headOptimizer) throw new Error(`no optimizer for the head of task '${batch.task}'`);
    const taskShared = model.sharedVariablesFor(spec.kind);
    const headVars = headOptimizer.variables;
    const varList = [...taskShared, ...headVars];
    const { value, grads } = tf.variableGrads(
      () => taskLoss(model, batch, { training: true, dropoutSeed: settings.dropoutSeeds[t] ?? 0 }),
      varList,
    );
    // accumulate shared gradients (tf.add then dispose the old sum keeps one copy alive)
    for (const v of taskShared) {
      const g = grads[v.name];
      // Stryker disable next-line ConditionalExpression: equivalent for every model createUmedptModel builds, each shared variable a task kind uses lies on its loss's path and gets a gradient (the guard is for a variable a future head leaves unused); the `true` variant, no shared gradient at all, goes with it though the rate tests would catch it
      if (!g) continue;
      const i = sharedIndex.get(v)!;
      const previous = accumulators[i];
      accumulators[i] = previous ? tf.add(previous, g) : tf.clone(g);
      previous?.dispose();
    }
    applyWithClipping(headOptimizer, headVars.map((v) => grads[v.name] ?? null), settings.headLearningRate, settings.clipGradNorm);
    lossScalars.push([batch.task, value]);
    tf.dispose(Object.values(grads));
    taskSeconds[batch.task] = (performance.now() - started) / 1000;
  });
  applyWithClipping(optimizers.shared, accumulators, settings.learningRate, settings.clipGradNorm);
  // Stryker disable next-line MethodExpression: equivalent, tf.dispose skips nulls (the filter is for the types)
  tf.dispose(accumulators.filter((g): g is tf.Tensor => !!g));
  settings.whileDeviceBusy?.();
  return { lossScalars, taskSeconds };
}
