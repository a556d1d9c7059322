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

type PredictOptions = { batchSize?: number; decode?: DecodeOptions };

/**
 * The prediction, written once for both kinds of read: it yields each tensor
 * it needs on the CPU (and disposes it after) and is sent its values, by
 * dataSync (predictTask) or by an awaited data() (predictTaskAsync: webgpu in
 * Node has no synchronous read).
 */
function* predictionSteps(model: UmedptModel, taskName: string, images: Float32Array[], options: PredictOptions): Generator<tf.Tensor, TaskPrediction, ArrayLike<number>> {
  const spec = model.task(taskName);
  const kind = taskKindModule(spec.kind);
  const size = model.config.inputSize;
  const bs = options.batchSize ?? defaultEvalBatchSize;
  const prediction = kind.emptyPrediction();
  for (let start = 0; start < images.length; start += bs) {
    const imageTensor = stackImages(images.slice(start, start + bs), size);
    const out = model.forward(taskName, imageTensor);
    imageTensor.dispose();
    yield* kind.appendPrediction(prediction, out, spec, model, options.decode);
  }
  return prediction as TaskPrediction;
}

export interface EvaluateOptions extends MetricOptions {
  batchSize?: number;
  decode?: DecodeOptions;
}

/** predictions for HWC float images of the model's input size (batched) */
export function predictTask(model: UmedptModel, taskName: string, images: Float32Array[], options: PredictOptions = {}): TaskPrediction {
  const steps = predictionSteps(model, taskName, images, options);
  let next = steps.next();
  while (!next.done) next = steps.next(next.value.dataSync());
  return next.value;
}

/** the same, reading with data(): for backends without a synchronous read (webgpu in Node) */
export async function predictTaskAsync(model: UmedptModel, taskName: string, images: Float32Array[], options: PredictOptions = {}): Promise<TaskPrediction> {
  const steps = predictionSteps(model, taskName, images, options);
  let next = steps.next();
  while (!next.done) next = steps.next(await next.value.data());
  return next.value;
}

/** metrics of a task on labelled samples */
export function evaluateTask(model: UmedptModel, taskName: string, samples: TaskSample[], options: EvaluateOptions = {}): TaskMetrics {
  if (!samples.length) throw new Error(`task '${taskName}': no samples to evaluate`);
  return metricsOf(model, taskName, samples, predictTask(model, taskName, samples.map((s) => s.image), options), options);
}

/** evaluateTask with asynchronous reads (webgpu in Node) */
export async function evaluateTaskAsync(model: UmedptModel, taskName: string, samples: TaskSample[], options: EvaluateOptions = {}): Promise<TaskMetrics> {
  if (!samples.length) throw new Error(`task '${taskName}': no samples to evaluate`);
  return metricsOf(model, taskName, samples, await predictTaskAsync(model, taskName, samples.map((s) => s.image), options), options);
}

function metricsOf(model: UmedptModel, taskName: string, samples: TaskSample[], prediction: TaskPrediction, options: MetricOptions): TaskMetrics {
  const spec = model.task(taskName);
  return taskKindModule(spec.kind).metrics(prediction, samples, spec, options);
}
