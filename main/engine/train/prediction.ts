/**
 * Inference for evaluation and the results viewer: class probabilities,
 * label masks, decoded boxes; and the per-task validation metrics, each with
 * a primary value in [0, 1] (accuracy, mean Dice over the scored classes that
 * occur, mAP@0.5) that
 * the trainer averages to pick the best checkpoint.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TaskSample } from '../data/taskSample';
import type { DecodeOptions } from '../model/fcosDecode';
import type { UmedptModel } from '../model/umedptModel';
import type { MetricOptions, TaskMetrics } from '../tasks/taskKindModule';
import { taskKindModule, type TaskPrediction } from '../tasks/taskKindRegistry';

export type { TaskMetrics } from '../tasks/taskKindModule';
export type { TaskPrediction } from '../tasks/taskKindRegistry';

export const defaultEvalBatchSize = 16;

function stackImages(images: Float32Array[], size: number): tf.Tensor4D {
  const per = size * size * 3;
  const data = new Float32Array(images.length * per);
  images.forEach((img, i) => {
    if (img.length !== per) throw new Error(`image ${i} has ${img.length} values, expected ${size}x${size}x3`);
    data.set(img, i * per);
  });
  return tf.tensor4d(data, [images.length, size, size, 3]);
}

/** predictions for HWC float images of the model's input size (batched) */
export function predictTask(model: UmedptModel, taskName: string, images: Float32Array[], options: { batchSize?: number; decode?: DecodeOptions } = {}): TaskPrediction {
  const spec = model.task(taskName);
  const kind = taskKindModule(spec.kind);
  const size = model.config.inputSize;
  const bs = options.batchSize ?? defaultEvalBatchSize;
  const prediction = kind.emptyPrediction();
  for (let start = 0; start < images.length; start += bs) {
    const imageTensor = stackImages(images.slice(start, start + bs), size);
    const out = model.forward(taskName, imageTensor);
    imageTensor.dispose();
    kind.appendPrediction(prediction, out, spec, model, options.decode);
  }
  return prediction as TaskPrediction;
}

export interface EvaluateOptions extends MetricOptions {
  batchSize?: number;
  decode?: DecodeOptions;
}

/** metrics of a task on labelled samples */
export function evaluateTask(model: UmedptModel, taskName: string, samples: TaskSample[], options: EvaluateOptions = {}): TaskMetrics {
  const spec = model.task(taskName);
  if (!samples.length) throw new Error(`task '${taskName}': no samples to evaluate`);
  const prediction = predictTask(model, taskName, samples.map((s) => s.image), options);
  return taskKindModule(spec.kind).metrics(prediction, samples, spec, options);
}
