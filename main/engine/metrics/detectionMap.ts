/**
 * Detection mean average precision, following the COCO evaluation
 * (pycocotools COCOeval, bbox, area range "all", no crowd boxes):
 *  - per image and class, detections sorted by score (stable), the top
 *    maxDetections (default 100) kept;
 *  - greedy matching in score order: each detection takes the unmatched
 *    ground-truth box of its class with the highest IoU >= threshold (on equal
 *    IoU the later ground truth wins, as in COCOeval); unmatched detections are
 *    false positives;
 *  - per class, all images' detections pooled and sorted by score (stable),
 *    precision made non-increasing from the right, then read at the 101
 *    recall points 0, 0.01, ..., 1 (first detection reaching that recall;
 *    0 past the last recall reached) and averaged: the AP;
 *  - classes with no ground truth anywhere are left out of the mean (NaN in
 *    the per-class list); a class with ground truth but no detection has AP 0.
 * mAP@0.5 uses IoU 0.5; mAP@[.5:.95] averages the ten thresholds 0.5, 0.55, ..., 0.95.
 */
import { boxIou, type XywhBox } from './boxIou';

export interface LabelledBox extends XywhBox {
  classId: number;
}

export interface ScoredBox extends LabelledBox {
  score: number;
}

export interface DetectionImage {
  truth: readonly LabelledBox[];
  predicted: readonly ScoredBox[];
}

export interface DetectionMapResult {
  /** mean AP at IoU 0.5 over classes with ground truth; NaN if none has */
  map50: number;
  /** mean over classes of the AP averaged over IoU 0.5:0.05:0.95 */
  map5095: number;
  /** per class AP at IoU 0.5 (NaN: no ground truth) */
  ap50PerClass: number[];
  /** per class AP averaged over the ten thresholds (NaN: no ground truth) */
  ap5095PerClass: number[];
  iouThresholds: number[];
}

/** The ten COCO IoU thresholds, computed as numpy.linspace(.5, .95, 10) does. */
// Stryker disable next-line ConditionalExpression: equivalent, 9 * (0.45 / 9) + 0.5 is exactly 0.95 in doubles
export const COCO_IOU_THRESHOLDS: readonly number[] = Array.from({ length: 10 }, (_, i) => (i === 9 ? 0.95 : i * ((0.95 - 0.5) / 9) + 0.5));

/** The 101 recall points, as numpy.linspace(0, 1, 101). */
// Stryker disable next-line ConditionalExpression: equivalent, 100 * (1 / 100) is exactly 1 in doubles
const RECALL_POINTS: readonly number[] = Array.from({ length: 101 }, (_, i) => (i === 100 ? 1 : i * (1 / 100)));

interface ImageClassMatches {
  scores: number[];
  /** matched[t][d]: detection d is a true positive at threshold t */
  matched: boolean[][];
  truthCount: number;
}

function matchImageClass(truth: readonly XywhBox[], predicted: readonly ScoredBox[], thresholds: readonly number[], maxDetections: number): ImageClassMatches {
  const dets = predicted
    .map((d, i) => ({ d, i }))
    .sort((a, b) => b.d.score - a.d.score || a.i - b.i)
    .slice(0, maxDetections)
    .map((e) => e.d);
  const ious = dets.map((d) => truth.map((g) => boxIou(d, g)));
  const matched = thresholds.map((t) => {
    // Stryker disable next-line ArrayDeclaration: equivalent, an unset entry reads undefined, as falsy as false
    const taken = new Array<boolean>(truth.length).fill(false);
    return dets.map((_, di) => {
      // Stryker disable next-line ArithmeticOperator: equivalent, min(t, 1 + 1e-10) is t for every threshold below 1
      let best = Math.min(t, 1 - 1e-10);
      let match = -1;
      for (let gi = 0; gi < truth.length; gi++) {
        if (taken[gi]) continue;
        const iou = (ious[di] as number[])[gi] as number;
        if (iou < best) continue;
        best = iou;
        match = gi;
      }
      if (match < 0) return false;
      taken[match] = true;
      return true;
    });
  });
  return { scores: dets.map((d) => d.score), matched, truthCount: truth.length };
}

/** 101-point interpolated AP from detections pooled over images (already matched). */
function interpolatedAp(scores: number[], isTruePositive: boolean[], truthCount: number): number {
  const order = scores.map((s, i) => ({ s, i })).sort((a, b) => b.s - a.s || a.i - b.i);
  const n = order.length;
  const recall = new Float64Array(n);
  const precision = new Float64Array(n);
  let tp = 0;
  let fp = 0;
  order.forEach((e, k) => {
    if (isTruePositive[e.i]) tp++;
    else fp++;
    recall[k] = tp / truthCount;
    // Stryker disable next-line ArithmeticOperator: equivalent, tp + fp >= 1 here; EPSILON only guards 0 / 0
    precision[k] = tp / (tp + fp + Number.EPSILON);
  });
  // Stryker disable next-line ArithmeticOperator,EqualityOperator: equivalent, reads past either end compare with undefined (false) and copying an equal value changes nothing
  for (let k = n - 1; k > 0; k--) if (precision[k]! > precision[k - 1]!) precision[k - 1] = precision[k]!;
  let sum = 0;
  let k = 0;
  for (const r of RECALL_POINTS) {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, recall[n] is undefined and undefined < r is false
    while (k < n && recall[k]! < r) k++; // searchsorted(recall, r, side='left')
    if (k >= n) break; // recall never reaches r: precision 0 from here on
    sum += precision[k]!;
  }
  return sum / RECALL_POINTS.length;
}

export function averagePrecision(images: readonly DetectionImage[], classId: number, iouThreshold: number, maxDetections = 100): number {
  return averagePrecisionPerThreshold(images, classId, [iouThreshold], maxDetections)[0] as number;
}

function averagePrecisionPerThreshold(images: readonly DetectionImage[], classId: number, thresholds: readonly number[], maxDetections: number): number[] {
  const scores: number[] = [];
  const matchedPerThreshold: boolean[][] = thresholds.map(() => []);
  let truthCount = 0;
  for (const image of images) {
    const truth = image.truth.filter((b) => b.classId === classId);
    const predicted = image.predicted.filter((b) => b.classId === classId);
    // Stryker disable next-line ConditionalExpression: equivalent, matching nothing against nothing adds nothing (the skip only saves work)
    if (!truth.length && !predicted.length) continue;
    const m = matchImageClass(truth, predicted, thresholds, maxDetections);
    truthCount += m.truthCount;
    scores.push(...m.scores);
    m.matched.forEach((row, t) => (matchedPerThreshold[t] as boolean[]).push(...row));
  }
  if (truthCount === 0) return thresholds.map(() => NaN);
  return matchedPerThreshold.map((matched) => interpolatedAp(scores, matched, truthCount));
}

export function detectionMap(images: readonly DetectionImage[], numClasses: number, options: { maxDetections?: number } = {}): DetectionMapResult {
  const maxDetections = options.maxDetections ?? 100;
  for (const [i, image] of images.entries()) {
    for (const b of [...image.truth, ...image.predicted]) {
      if (!Number.isInteger(b.classId) || b.classId < 0 || b.classId >= numClasses) {
        throw new Error(`detectionMap: image ${i} has a box of class ${b.classId}, outside 0..${numClasses - 1}`);
      }
    }
  }
  const ap50PerClass: number[] = [];
  const ap5095PerClass: number[] = [];
  for (let k = 0; k < numClasses; k++) {
    const aps = averagePrecisionPerThreshold(images, k, COCO_IOU_THRESHOLDS, maxDetections);
    ap50PerClass.push(aps[0] as number);
    ap5095PerClass.push(aps.reduce((a, b) => a + b, 0) / aps.length);
  }
  const meanDefined = (v: number[]): number => {
    const defined = v.filter((x) => !Number.isNaN(x));
    return defined.length ? defined.reduce((a, b) => a + b, 0) / defined.length : NaN;
  };
  return { map50: meanDefined(ap50PerClass), map5095: meanDefined(ap5095PerClass), ap50PerClass, ap5095PerClass, iouThresholds: [...COCO_IOU_THRESHOLDS] };
}
