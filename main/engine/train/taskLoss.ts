/** Forward one task's batch through shared blocks + its head and compute its loss (the kind's, main/engine/tasks). */
import * as tf from '@tensorflow/tfjs-core';
import type { UmedptModel } from '../model/umedptModel';
import { taskKindModule } from '../tasks/taskKindRegistry';
import type { TaskBatch } from './taskBatch';

export function batchImages(batch: TaskBatch): tf.Tensor4D {
  return tf.tensor4d(batch.images, [batch.batchSize, batch.size, batch.size, 3]);
}

/** scalar loss of the batch; call inside tf.variableGrads / tf.tidy */
export function taskLoss(model: UmedptModel, batch: TaskBatch, options: { training: boolean; dropoutSeed?: number }): tf.Scalar {
  const spec = model.task(batch.task);
  const images = batchImages(batch);
  const out = model.forward(batch.task, images, options);
  return taskKindModule(spec.kind).loss(out, batch, spec, model);
}
