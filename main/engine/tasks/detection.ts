/**
 * Detection (FCOS): the shared detection decoder's towers -> the final convs,
 * shared over levels: class logits (C), box distances l/t/r/b (as
 * log(distance / stride)) and a centerness logit; focal + GIoU + centerness
 * loss on FCOS targets; boxes decoded with NMS; judged by mAP@0.5.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { PixelBox } from '../data/taskSample';
import { detectionLoss } from '../losses/detectionLoss';
import { detectionMap } from '../metrics/detectionMap';
import { decodeFcos, type DetectedBox } from '../model/fcosDecode';
import { assignFcosTargets } from '../model/fcosTargets';
import type { PredictedBox } from '../../../shared/api/runs';
import type { TaskKindModule } from './taskKindModule';
import { matchBoxesByScore, type BoxMatch } from '../../../shared/boxMatching';

/** FCOS prior: class logits start at p = 0.01 so the focal loss starts stable */
export const detectionClassPrior = 0.01;
/** cap on the raw box logit before exp, so an early bad step cannot overflow */
const maxBoxLogit = 8;
/** detections below this score are not shown or matched on the Results page */
export const displayScoreThreshold = 0.3;
export { matchIou } from '../../../shared/boxMatching';

export interface DetectionOutput {
  kind: 'detection';
  /** [B, N, C] over all locations of all levels (level-major, row-major) */
  classLogits: tf.Tensor3D;
  /** [B, N, 4] l, t, r, b in pixels */
  boxDistances: tf.Tensor3D;
  /** [B, N] */
  centernessLogits: tf.Tensor2D;
}

export interface DetectionPrediction {
  kind: 'detection';
  /** per image, its decoded boxes */
  boxes: DetectedBox[][];
}

export interface BoxMatching {
  matches: BoxMatch[];
  precision: number;
  recall: number;
}

/** Greedy matching by score (shared/boxMatching, as mAP@0.5 counts): each truth box at most once, same class, IoU >= 0.5. */
export function matchBoxes(predicted: readonly PredictedBox[], truth: readonly PixelBox[]): BoxMatching {
  const matches = matchBoxesByScore(predicted, truth);
  const precision = predicted.length ? matches.length / predicted.length : truth.length ? 0 : 1;
  const recall = truth.length ? matches.length / truth.length : 1;
  return { matches, precision, recall };
}

export const detection: TaskKindModule<'detection', DetectionOutput, DetectionPrediction> = {
  kind: 'detection',
  sharedBranch: 'detectionDecoder',
  hasBackgroundClass: false,
  dropsSamplesWithoutClass: false,
  studyMetricName: 'map50',
  frozenStudy: 'trainedHead',

  checkSpec() {},

  buildHead(spec, dims, ctx) {
    const clsFeatures = tfl.input({ shape: [null, null, dims.detectionWidth], name: ctx.name('cls_features') });
    const regFeatures = tfl.input({ shape: [null, null, dims.detectionWidth], name: ctx.name('reg_features') });
    const prior = -Math.log((1 - detectionClassPrior) / detectionClassPrior);
    const conv = (input: tfl.SymbolicTensor, filters: number, part: string, bias?: number): tfl.SymbolicTensor =>
      tfl.layers
        .conv2d({
          filters,
          kernelSize: 3,
          padding: 'same',
          kernelInitializer: ctx.smallNormal(),
          ...(bias === undefined ? {} : { biasInitializer: tfl.initializers.constant({ value: bias }) }),
          name: ctx.name(part),
        })
        .apply(input) as tfl.SymbolicTensor;
    const cls = conv(clsFeatures, spec.numClasses, 'cls', prior);
    const box = conv(regFeatures, 4, 'box');
    const centerness = conv(regFeatures, 1, 'centerness');
    return tfl.model({ inputs: [clsFeatures, regFeatures], outputs: [cls, box, centerness] });
  },

  forward(model, head, spec, images, levels) {
    const decoder = model.detectionDecoder!;
    const outs = decoder.model.apply(levels.slice(1)) as tf.Tensor4D[];
    const L = decoder.strides.length;
    const B = images.shape[0];
    const cls: tf.Tensor[] = [];
    const box: tf.Tensor[] = [];
    const ctr: tf.Tensor[] = [];
    decoder.strides.forEach((stride, l) => {
      const [c, b, n] = head.apply([outs[l]!, outs[L + l]!]) as tf.Tensor4D[];
      const cells = c!.shape[1] * c!.shape[2];
      cls.push(tf.reshape(c!, [B, cells, spec.numClasses]));
      box.push(tf.reshape(tf.mul(tf.exp(tf.minimum(b!, maxBoxLogit)), stride), [B, cells, 4]));
      ctr.push(tf.reshape(n!, [B, cells]));
    });
    return {
      kind: 'detection',
      classLogits: tf.concat(cls, 1) as tf.Tensor3D,
      boxDistances: tf.concat(box, 1) as tf.Tensor3D,
      centernessLogits: tf.concat(ctr, 1) as tf.Tensor2D,
    };
  },

  startTargets(batch) {
    batch.boxes = [];
  },

  addTargets(batch, sample, index) {
    if (!sample.boxes) throw new Error(`task '${batch.task}': sample ${index} has no boxes`);
    batch.boxes!.push(sample.boxes);
  },

  randomTargets(batch, numClasses, randomIndex) {
    const size = batch.size;
    batch.boxes = Array.from({ length: batch.batchSize }, () => [{ x: size / 4, y: size / 4, w: size / 3, h: size / 3, classId: randomIndex(numClasses) }]);
  },

  loss(output, batch, spec, model) {
    const levels = model.detectionLevels();
    const targets = (batch.boxes ?? []).map((boxes) => assignFcosTargets(boxes, levels));
    return detectionLoss(output, targets, spec.numClasses);
  },

  emptyPrediction() {
    return { kind: 'detection', boxes: [] };
  },

  *appendPrediction(prediction, output, spec, model, decode) {
    const cls = Float32Array.from(yield output.classLogits);
    const box = Float32Array.from(yield output.boxDistances);
    const ctr = Float32Array.from(yield output.centernessLogits);
    tf.dispose([output.classLogits, output.boxDistances, output.centernessLogits]);
    const [B, N] = output.centernessLogits.shape;
    const C = spec.numClasses;
    for (let i = 0; i < B; i++) {
      prediction.boxes.push(
        decodeFcos(
          { classLogits: cls.subarray(i * N * C, (i + 1) * N * C), boxDistances: box.subarray(i * N * 4, (i + 1) * N * 4), centernessLogits: ctr.subarray(i * N, (i + 1) * N) },
          model.detectionLevels(),
          C,
          model.config.inputSize,
          decode,
        ),
      );
    }
  },

  metrics(prediction, samples, spec) {
    const m = detectionMap(
      samples.map((s, i) => ({ truth: s.boxes ?? [], predicted: prediction.boxes[i]! })),
      spec.numClasses,
    );
    return { primary: Number.isNaN(m.map50) ? 0 : m.map50, primaryName: detection.primaryMetricName(false), values: { map50: m.map50, map5095: m.map5095 } };
  },

  primaryMetricName() {
    return 'map50';
  },

  studyTargets(annotations) {
    return { boxes: [...annotations.boxes] };
  },

  remapSample(sample, map) {
    const boxes = (sample.boxes ?? []).flatMap((b) => {
      const classId = map[b.classId];
      return classId === null || classId === undefined ? [] : [{ ...b, classId }];
    });
    return { ...sample, boxes };
  },

  viewPrediction(prediction, index, sample) {
    // every decoded box (class-wise NMS, score > 0.05, as mAP sees them): the viewer's threshold slider filters;
    // the per-image score and matches here are at the display threshold
    const predicted = prediction.boxes[index]!.map((b) => ({ x: b.x, y: b.y, w: b.w, h: b.h, classId: b.classId, score: b.score }));
    const truth = sample.boxes ?? [];
    const { matches, precision, recall } = matchBoxes(predicted.filter((b) => b.score >= displayScoreThreshold), truth);
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { score: f1, detection: { truth: truth.map(({ x, y, w, h, classId }) => ({ x, y, w, h, classId })), predicted, matches, precision, recall } };
  },

  confusionMatrix() {
    return null;
  },
};
