/** Forward one task's batch through shared blocks + its head and compute its loss. */
import * as tf from '@tensorflow/tfjs-core';
import { classificationLoss } from '../losses/classificationLoss';
import { detectionLoss } from '../losses/detectionLoss';
import { segmentationLoss } from '../losses/segmentationLoss';
import { assignFcosTargets } from '../model/fcosTargets';
import type { UmedptModel } from '../model/umedptModel';
import type { TaskBatch } from './taskBatch';

export function batchImages(batch: TaskBatch): tf.Tensor4D {
  return tf.tensor4d(batch.images, [batch.batchSize, batch.size, batch.size, 3]);
}

/** scalar loss of the batch; call inside tf.variableGrads / tf.tidy */
export function taskLoss(model: UmedptModel, batch: TaskBatch, options: { training: boolean; dropoutSeed?: number }): tf.Scalar {
  const spec = model.task(batch.task);
  const images = batchImages(batch);
  const out = model.forward(batch.task, images, options);
  if (out.kind === 'classification') return classificationLoss(out.logits, batch.labels ?? [], spec.multiLabel);
  if (out.kind === 'segmentation') return segmentationLoss(out.logits, batch.masks ?? new Uint8Array());
  const levels = model.detectionLevels();
  const targets = (batch.boxes ?? []).map((boxes) => assignFcosTargets(boxes, levels));
  return detectionLoss(out, targets, spec.numClasses);
}
