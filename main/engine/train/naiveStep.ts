/**
 * The naive multi-task step the decoupled one is measured against: the sum of
 * all task losses, one backward pass over everything. Every task's graph is
 * alive at once, so its peak memory grows with the number of tasks. Used by
 * the memory benchmark only.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { UmedptModel } from '../model/umedptModel';
import { applyWithClipping, type StepOptimizers, type StepSettings } from './decoupledStep';
import { taskLoss } from './taskLoss';
import type { TaskBatch } from './taskBatch';

export function naiveStep(model: UmedptModel, batches: TaskBatch[], optimizers: StepOptimizers, settings: StepSettings): Record<string, number> {
  const sharedVars = optimizers.shared.variables;
  const headVars = batches.map((b) => optimizers.heads.get(b.task)!.variables);
  const losses: Record<string, number> = {};
  const perTask: tf.Scalar[] = [];
  const { value, grads } = tf.variableGrads(() => {
    const taskLosses = batches.map((batch, t) => taskLoss(model, batch, { training: true, dropoutSeed: settings.dropoutSeeds[t] ?? 0 }));
    perTask.push(...taskLosses.map((l) => tf.keep(tf.clone(l))));
    return tf.addN(taskLosses) as tf.Scalar;
  }, [...sharedVars, ...headVars.flat()]);
  batches.forEach((batch, t) => {
    applyWithClipping(optimizers.heads.get(batch.task)!, headVars[t]!.map((v) => grads[v.name] ?? null), settings.headLearningRate, settings.clipGradNorm);
    losses[batch.task] = perTask[t]!.dataSync()[0]!;
  });
  applyWithClipping(optimizers.shared, sharedVars.map((v) => grads[v.name] ?? null), settings.learningRate, settings.clipGradNorm);
  tf.dispose([value, ...perTask, ...Object.values(grads)]);
  return losses;
}
