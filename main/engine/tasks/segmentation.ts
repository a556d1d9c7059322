/**
 * Segmentation: the shared pixel decoder's 16-d embedding at input resolution
 * -> one 3x3 conv to C logits (class 0 = background); (soft Dice + focal) /
 * ln C; judged by the mean foreground Dice.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { segmentationLoss } from '../losses/segmentationLoss';
import { backgroundClassIndex, perClassMetricKey } from '../../../shared/classRoles';
import { bytesToBase64 } from '../../../shared/base64Bytes';
import { outsideImageClass } from '../../../shared/letterbox';
import { diceFromCounts, iouFromCounts, meanOverClasses, overlapCounts, segmentationMetrics } from '../metrics/segmentationOverlap';
import { pixelEmbeddingWidth } from '../model/pixelDecoder';
import type { EncodedMask } from '../../../shared/api/runs';
import type { TaskKindModule } from './taskKindModule';

export interface SegmentationOutput {
  kind: 'segmentation';
  logits: tf.Tensor4D;
}

export interface SegmentationPrediction {
  kind: 'segmentation';
  /** per image, size * size class ids */
  masks: Uint8Array[];
}

function encodeMask(mask: Uint8Array, size: number): EncodedMask {
  return { width: size, height: size, base64: bytesToBase64(mask) };
}

export const segmentation: TaskKindModule<'segmentation', SegmentationOutput, SegmentationPrediction> = {
  kind: 'segmentation',
  sharedBranch: 'pixelDecoder',
  hasBackgroundClass: true,
  dropsSamplesWithoutClass: false,
  studyMetricName: 'meanDice',
  frozenStudy: 'trainedHead',

  checkSpec(spec) {
    if (spec.numClasses < 2) throw new Error(`task '${spec.name}': segmentation needs at least 2 classes (background + one)`);
  },

  buildHead(spec, _dims, ctx) {
    const input = tfl.input({ shape: [null, null, pixelEmbeddingWidth], name: ctx.name('embedding') });
    const logits = tfl.layers
      .conv2d({ filters: spec.numClasses, kernelSize: 3, padding: 'same', kernelInitializer: ctx.heNormal(), name: ctx.name('conv') })
      .apply(input) as tfl.SymbolicTensor;
    return tfl.model({ inputs: input, outputs: logits });
  },

  forward(model, head, _spec, images, levels) {
    const rgb = images.shape[3] === 1 ? tf.tile(images, [1, 1, 1, 3]) : images;
    const embedding = model.pixelDecoder!.apply([rgb, ...levels]) as tf.Tensor4D;
    return { kind: 'segmentation', logits: head.apply(embedding) as tf.Tensor4D };
  },

  startTargets(batch) {
    batch.masks = new Uint8Array(batch.batchSize * batch.size * batch.size);
  },

  addTargets(batch, sample, index) {
    const pixels = batch.size * batch.size;
    if (!sample.mask || sample.mask.length !== pixels) throw new Error(`task '${batch.task}': sample ${index} has no ${batch.size}x${batch.size} mask`);
    batch.masks!.set(sample.mask, index * pixels);
  },

  randomTargets(batch, numClasses, randomIndex) {
    batch.masks = Uint8Array.from({ length: batch.batchSize * batch.size * batch.size }, () => randomIndex(numClasses));
  },

  loss(output, batch) {
    return segmentationLoss(output.logits, batch.masks ?? new Uint8Array());
  },

  emptyPrediction() {
    return { kind: 'segmentation', masks: [] };
  },

  *appendPrediction(prediction, output, _spec, model) {
    const size = model.config.inputSize;
    const B = output.logits.shape[0];
    const labels = tf.argMax(output.logits, -1);
    output.logits.dispose();
    const flat = Int32Array.from(yield labels);
    labels.dispose();
    for (let i = 0; i < B; i++) prediction.masks.push(Uint8Array.from(flat.subarray(i * size * size, (i + 1) * size * size)));
  },

  metrics(prediction, samples, spec, options = {}) {
    const names = options.classNames;
    if (names && names.length !== spec.numClasses) throw new Error(`task '${spec.name}': ${names.length} class names for a head of ${spec.numClasses} classes`);
    const backgroundClass = options.backgroundClass !== undefined ? options.backgroundClass : names ? backgroundClassIndex(names) : null;
    const m = segmentationMetrics(
      samples.map((s, i) => ({ predicted: prediction.masks[i]!, truth: s.mask ?? new Uint8Array() })),
      spec.numClasses,
      { backgroundClass },
    );
    // a class absent from truth and prediction stays NaN here (not applicable); reports leave it out
    const values: Record<string, number> = { meanDice: m.meanDice, meanIou: m.meanIou };
    m.dicePerClass.forEach((d, k) => (values[perClassMetricKey('dice', names?.[k] ?? String(k))] = d));
    return { primary: Number.isNaN(m.meanDice) ? 0 : m.meanDice, primaryName: segmentation.primaryMetricName(false), values };
  },

  primaryMetricName() {
    return 'meanDice';
  },

  studyTargets(annotations, where) {
    if (!annotations.mask) throw new Error(`${where} has no mask; a segmentation study needs one per image`);
    return { mask: annotations.mask };
  },

  remapSample(sample, map) {
    if (!sample.mask) return null;
    // the letterbox padding stays outside the image
    return { ...sample, mask: sample.mask.map((v) => (v === outsideImageClass ? v : (map[v] ?? 0))) };
  },

  viewPrediction(prediction, index, sample, classCount, _multiLabel, backgroundClass) {
    const mask = prediction.masks[index]!;
    const truth = sample.mask ?? new Uint8Array(mask.length);
    const counts = overlapCounts(mask, truth, classCount);
    // the image's score: mean over the task's scored classes present in its truth or prediction
    const dice = meanOverClasses(diceFromCounts(counts), backgroundClass);
    const iou = meanOverClasses(iouFromCounts(counts), backgroundClass);
    // an image with nothing to score (only background in truth and prediction) is not among the worst
    const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);
    return { score: Number.isNaN(dice) ? 1 : dice, segmentation: { dice: orNull(dice), iou: orNull(iou), truth: encodeMask(truth, sample.size), predicted: encodeMask(mask, sample.size) } };
  },

  confusionMatrix() {
    return null;
  },
};
