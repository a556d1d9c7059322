/**
 * Inference for evaluation and the results viewer: class probabilities,
 * label masks, decoded boxes; and the per-task validation metrics, each with
 * a primary value in [0, 1] (accuracy, mean foreground Dice, mAP@0.5) that
 * the trainer averages to pick the best checkpoint.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TaskSample } from '../data/taskSample';
import { classificationMetrics } from '../metrics/classificationMetrics';
import { detectionMap } from '../metrics/detectionMap';
import { multiLabelMetrics } from '../metrics/multiLabelMetrics';
import { segmentationMetrics } from '../metrics/segmentationOverlap';
import { decodeFcos, type DecodeOptions, type DetectedBox } from '../model/fcosDecode';
import type { UmedptModel } from '../model/umedptModel';

export type TaskPrediction =
  | { kind: 'classification'; probabilities: number[][] }
  | { kind: 'segmentation'; masks: Uint8Array[] }
  | { kind: 'detection'; boxes: DetectedBox[][] };

export interface TaskMetrics {
  /** the value in [0, 1] used for model selection */
  primary: number;
  primaryName: string;
  values: Record<string, number>;
}

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
  const size = model.config.inputSize;
  const bs = options.batchSize ?? defaultEvalBatchSize;
  const probabilities: number[][] = [];
  const masks: Uint8Array[] = [];
  const boxes: DetectedBox[][] = [];
  for (let start = 0; start < images.length; start += bs) {
    const chunk = images.slice(start, start + bs);
    const B = chunk.length;
    if (spec.kind === 'classification') {
      const probs = tf.tidy(() => {
        const out = model.forward(taskName, stackImages(chunk, size));
        if (out.kind !== 'classification') throw new Error('unexpected output');
        return spec.multiLabel ? tf.sigmoid(out.logits) : tf.softmax(out.logits);
      });
      const flat = Float32Array.from(yield probs);
      probs.dispose();
      for (let i = 0; i < B; i++) probabilities.push(Array.from(flat.subarray(i * spec.numClasses, (i + 1) * spec.numClasses)));
    } else if (spec.kind === 'segmentation') {
      const labels = tf.tidy(() => {
        const out = model.forward(taskName, stackImages(chunk, size));
        if (out.kind !== 'segmentation') throw new Error('unexpected output');
        return tf.argMax(out.logits, -1);
      });
      const flat = Int32Array.from(yield labels);
      labels.dispose();
      for (let i = 0; i < B; i++) masks.push(Uint8Array.from(flat.subarray(i * size * size, (i + 1) * size * size)));
    } else {
      const imageTensor = stackImages(chunk, size);
      const out = model.forward(taskName, imageTensor);
      imageTensor.dispose();
      if (out.kind !== 'detection') throw new Error('unexpected output');
      const cls = Float32Array.from(yield out.classLogits);
      const box = Float32Array.from(yield out.boxDistances);
      const ctr = Float32Array.from(yield out.centernessLogits);
      tf.dispose([out.classLogits, out.boxDistances, out.centernessLogits]);
      const N = out.centernessLogits.shape[1];
      const C = spec.numClasses;
      for (let i = 0; i < B; i++) {
        boxes.push(
          decodeFcos(
            { classLogits: cls.subarray(i * N * C, (i + 1) * N * C), boxDistances: box.subarray(i * N * 4, (i + 1) * N * 4), centernessLogits: ctr.subarray(i * N, (i + 1) * N) },
            model.detectionLevels(),
            C,
            size,
            options.decode,
          ),
        );
      }
    }
  }
  if (spec.kind === 'classification') return { kind: 'classification', probabilities };
  if (spec.kind === 'segmentation') return { kind: 'segmentation', masks };
  return { kind: 'detection', boxes };
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
export function evaluateTask(model: UmedptModel, taskName: string, samples: TaskSample[], options: PredictOptions = {}): TaskMetrics {
  if (!samples.length) throw new Error(`task '${taskName}': no samples to evaluate`);
  return metricsOf(model, taskName, samples, predictTask(model, taskName, samples.map((s) => s.image), options));
}

/** evaluateTask with asynchronous reads (webgpu in Node) */
export async function evaluateTaskAsync(model: UmedptModel, taskName: string, samples: TaskSample[], options: PredictOptions = {}): Promise<TaskMetrics> {
  if (!samples.length) throw new Error(`task '${taskName}': no samples to evaluate`);
  return metricsOf(model, taskName, samples, await predictTaskAsync(model, taskName, samples.map((s) => s.image), options));
}

function metricsOf(model: UmedptModel, taskName: string, samples: TaskSample[], prediction: TaskPrediction): TaskMetrics {
  const spec = model.task(taskName);
  if (prediction.kind === 'classification') {
    const scores = prediction.probabilities.flat();
    if (spec.multiLabel) {
      const truth = samples.flatMap((s) => (Array.isArray(s.label) ? s.label : []));
      const m = multiLabelMetrics(truth, scores, spec.numClasses);
      return { primary: m.labelAccuracy, primaryName: 'labelAccuracy', values: { ...m } };
    }
    const truth = samples.map((s) => (typeof s.label === 'number' ? s.label : -1));
    const { confusion: _confusion, ...m } = classificationMetrics(truth, scores, spec.numClasses);
    return { primary: m.accuracy, primaryName: 'accuracy', values: m };
  }
  if (prediction.kind === 'segmentation') {
    const m = segmentationMetrics(
      samples.map((s, i) => ({ predicted: prediction.masks[i]!, truth: s.mask ?? new Uint8Array() })),
      spec.numClasses,
    );
    const values: Record<string, number> = { meanDice: m.meanDice, meanIou: m.meanIou };
    m.dicePerClass.forEach((d, k) => (values[`dice_${k}`] = d));
    return { primary: m.meanDice, primaryName: 'meanDice', values };
  }
  const m = detectionMap(
    samples.map((s, i) => ({ truth: s.boxes ?? [], predicted: prediction.boxes[i]! })),
    spec.numClasses,
  );
  return { primary: Number.isNaN(m.map50) ? 0 : m.map50, primaryName: 'map50', values: { map50: m.map50, map5095: m.map5095 } };
}
