/**
 * Classification (single- or multi-label): the squeezer vector (dropout 0.2
 * with a seeded mask in training, then ReLU) -> one dense layer to C logits;
 * softmax cross-entropy / ln C, or mean binary cross-entropy / ln 2 per label;
 * judged by accuracy (single-label) or label accuracy (multi-label).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { classificationLoss } from '../losses/classificationLoss';
import { classificationMetrics } from '../metrics/classificationMetrics';
import { confusionMatrix } from '../metrics/confusionMatrix';
import { multiLabelMetrics } from '../metrics/multiLabelMetrics';
import type { TaskKindModule } from './taskKindModule';

export const classificationDropout = 0.2;

export interface ClassificationOutput {
  kind: 'classification';
  logits: tf.Tensor2D;
}

export interface ClassificationPrediction {
  kind: 'classification';
  /** per image, C probabilities (softmax; sigmoid per label when multi-label) */
  probabilities: number[][];
}

function argmax(values: readonly number[]): number {
  return values.indexOf(Math.max(...values));
}

export const classification: TaskKindModule<'classification', ClassificationOutput, ClassificationPrediction> = {
  kind: 'classification',
  sharedBranch: 'squeezer',
  hasBackgroundClass: false,
  dropsSamplesWithoutClass: true,
  studyMetricName: 'balancedAccuracy',
  frozenStudy: 'linearProbe',

  checkSpec() {},

  buildHead(spec, dims, ctx) {
    const input = tfl.input({ shape: [dims.squeezerWidth], name: ctx.name('vector') });
    const logits = tfl.layers.dense({ units: spec.numClasses, kernelInitializer: ctx.glorotUniform(), name: ctx.name('linear') }).apply(input) as tfl.SymbolicTensor;
    return tfl.model({ inputs: input, outputs: logits });
  },

  forward(model, head, _spec, _images, levels, options) {
    let vector = model.squeezer.apply(levels[3]!) as tf.Tensor2D;
    if (options.training) vector = tf.dropout(vector, classificationDropout, undefined, options.dropoutSeed ?? 0) as tf.Tensor2D;
    return { kind: 'classification', logits: head.apply(tf.relu(vector)) as tf.Tensor2D };
  },

  startTargets(batch) {
    batch.labels = [];
  },

  addTargets(batch, sample, index) {
    if (sample.label === undefined) throw new Error(`task '${batch.task}': sample ${index} has no label`);
    batch.labels!.push(sample.label);
  },

  randomTargets(batch, numClasses, randomIndex) {
    batch.labels = Array.from({ length: batch.batchSize }, () => randomIndex(numClasses));
  },

  loss(output, batch, spec) {
    return classificationLoss(output.logits, batch.labels ?? [], spec.multiLabel);
  },

  emptyPrediction() {
    return { kind: 'classification', probabilities: [] };
  },

  *appendPrediction(prediction, output, spec) {
    const B = output.logits.shape[0];
    const probs = tf.tidy(() => (spec.multiLabel ? tf.sigmoid(output.logits) : tf.softmax(output.logits)));
    tf.dispose(output.logits);
    const flat = Float32Array.from(yield probs);
    probs.dispose();
    for (let i = 0; i < B; i++) prediction.probabilities.push(Array.from(flat.subarray(i * spec.numClasses, (i + 1) * spec.numClasses)));
  },

  metrics(prediction, samples, spec) {
    const scores = prediction.probabilities.flat();
    if (spec.multiLabel) {
      const truth = samples.flatMap((s) => (Array.isArray(s.label) ? s.label : []));
      const m = multiLabelMetrics(truth, scores, spec.numClasses);
      return { primary: m.labelAccuracy, primaryName: classification.primaryMetricName(true), values: { ...m } };
    }
    const truth = samples.map((s) => (typeof s.label === 'number' ? s.label : -1));
    const { confusion: _confusion, ...m } = classificationMetrics(truth, scores, spec.numClasses);
    return { primary: m.accuracy, primaryName: classification.primaryMetricName(false), values: m };
  },

  primaryMetricName(multiLabel) {
    return multiLabel ? 'labelAccuracy' : 'accuracy';
  },

  studyTargets(annotations, where) {
    if (annotations.labels.length !== 1) throw new Error(`${where} has ${annotations.labels.length} class labels; a single-label classification study needs exactly one`);
    return { label: annotations.labels[0]! };
  },

  remapSample(sample, map, classCount, multiLabel) {
    const labels = (Array.isArray(sample.label) ? sample.label : sample.label === undefined ? [] : [sample.label]).map((l) => map[l] ?? null).filter((l): l is number => l !== null);
    if (multiLabel) {
      const hot = new Array<number>(classCount).fill(0);
      for (const l of labels) hot[l] = 1;
      return { ...sample, label: hot };
    }
    return labels.length ? { ...sample, label: labels[0]! } : null;
  },

  viewPrediction(prediction, index, sample, classCount, multiLabel) {
    const probabilities = prediction.probabilities[index]!;
    const predicted = argmax(probabilities);
    const label = sample.label ?? 0;
    const score = multiLabel && Array.isArray(label) ? 1 - probabilities.reduce((a, p, k) => a + Math.abs(p - (label[k] ?? 0)), 0) / classCount : (probabilities[label as number] ?? 0);
    return { score, classification: { trueLabel: label, predicted, probabilities } };
  },

  confusionMatrix(prediction, samples, classCount, multiLabel) {
    if (multiLabel) return null;
    const truth = samples.map((s) => (typeof s.label === 'number' ? s.label : 0));
    return confusionMatrix(truth, prediction.probabilities.map(argmax), classCount);
  },
};
