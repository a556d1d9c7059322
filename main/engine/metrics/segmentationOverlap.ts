/**
 * Segmentation Dice and IoU per class from predicted and true class-id masks.
 *
 * A class absent from both the prediction and the truth is not applicable:
 * Dice = IoU = NaN, and it is left out of every mean (never counted as 1,
 * which would lift the mean with a class that does not occur).
 *
 * Two ways to average over a set of images:
 *  - 'pooled' (default): add intersections and areas over all images, then
 *    compute one Dice/IoU per class ("global" Dice). Stable, and a class
 *    missing from some images does not inflate the score.
 *  - 'perImage': one value per image and class, then the mean over images.
 * Means over classes leave out the background class, when the task has one
 * (shared/classRoles decides which, from names, never from the index), and
 * the classes that are not applicable. Truth pixels outside the image
 * (outsideImageClass, the letterbox padding) are not counted.
 */
import { outsideImageClass } from '../../../shared/letterbox';

export interface OverlapCounts {
  numClasses: number;
  /** pixels predicted k where the truth is k */
  intersection: Float64Array;
  /** pixels predicted k */
  predicted: Float64Array;
  /** pixels truly k */
  truth: Float64Array;
}

export function emptyOverlapCounts(numClasses: number): OverlapCounts {
  return { numClasses, intersection: new Float64Array(numClasses), predicted: new Float64Array(numClasses), truth: new Float64Array(numClasses) };
}

export function overlapCounts(predicted: ArrayLike<number>, truth: ArrayLike<number>, numClasses: number): OverlapCounts {
  if (predicted.length !== truth.length) throw new Error(`segmentation metrics: predicted mask has ${predicted.length} pixels, truth has ${truth.length}`);
  const c = emptyOverlapCounts(numClasses);
  // Stryker disable next-line EqualityOperator: equivalent, pixel truth.length reads undefined, and a typed array ignores writes at an undefined index
  for (let i = 0; i < truth.length; i++) {
    const p = predicted[i] as number;
    const t = truth[i] as number;
    if (t === outsideImageClass) continue; // letterbox padding: not part of the image
    if (p >= numClasses || t >= numClasses || p < 0 || t < 0) {
      throw new Error(`segmentation metrics: pixel ${i} has class ${t} (truth) / ${p} (predicted), outside 0..${numClasses - 1}`);
    }
    c.predicted[p]! += 1;
    c.truth[t]! += 1;
    if (p === t) c.intersection[p]! += 1;
  }
  return c;
}

/** Adds b into a (in place) and returns a. */
export function addOverlapCounts(a: OverlapCounts, b: OverlapCounts): OverlapCounts {
  if (a.numClasses !== b.numClasses) throw new Error(`segmentation metrics: cannot add counts of ${a.numClasses} and ${b.numClasses} classes`);
  // Stryker disable next-line EqualityOperator: equivalent, a typed array ignores writes past its end
  for (let k = 0; k < a.numClasses; k++) {
    a.intersection[k]! += b.intersection[k]!;
    a.predicted[k]! += b.predicted[k]!;
    a.truth[k]! += b.truth[k]!;
  }
  return a;
}

/** Dice per class: 2|P∩T| / (|P| + |T|); NaN (not applicable) when the class is absent from both. */
export function diceFromCounts(c: OverlapCounts): number[] {
  return Array.from({ length: c.numClasses }, (_, k) => {
    const sum = c.predicted[k]! + c.truth[k]!;
    return sum === 0 ? NaN : (2 * c.intersection[k]!) / sum;
  });
}

/** IoU (Jaccard) per class: |P∩T| / |P∪T|; NaN (not applicable) when the class is absent from both. */
export function iouFromCounts(c: OverlapCounts): number[] {
  return Array.from({ length: c.numClasses }, (_, k) => {
    const union = c.predicted[k]! + c.truth[k]! - c.intersection[k]!;
    return union === 0 ? NaN : c.intersection[k]! / union;
  });
}

/** Mean over the scored classes that occur: the background class (if any) and NaN (not applicable) values left out; NaN when none is left. */
export function meanOverClasses(perClass: readonly number[], backgroundClass: number | null = null): number {
  const values = perClass.filter((v, k) => k !== backgroundClass && !Number.isNaN(v));
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
}

export interface SegmentationMetrics {
  dicePerClass: number[];
  iouPerClass: number[];
  /** mean over the scored classes that occur (background and not-applicable classes left out) */
  meanDice: number;
  meanIou: number;
}

export interface SegmentationMetricOptions {
  averaging?: 'pooled' | 'perImage';
  /** the class left out of the means (shared/classRoles.backgroundClassIndex); null = every class is scored */
  backgroundClass?: number | null;
}

export function segmentationMetrics(
  pairs: ReadonlyArray<{ predicted: ArrayLike<number>; truth: ArrayLike<number> }>,
  numClasses: number,
  options: SegmentationMetricOptions = {},
): SegmentationMetrics {
  const backgroundClass = options.backgroundClass ?? null;
  let dicePerClass: number[];
  let iouPerClass: number[];
  if ((options.averaging ?? 'pooled') === 'pooled') {
    const total = emptyOverlapCounts(numClasses);
    for (const pair of pairs) addOverlapCounts(total, overlapCounts(pair.predicted, pair.truth, numClasses));
    dicePerClass = pairs.length ? diceFromCounts(total) : new Array<number>(numClasses).fill(NaN);
    iouPerClass = pairs.length ? iouFromCounts(total) : new Array<number>(numClasses).fill(NaN);
  } else {
    // per class, the mean over the images where the class is applicable
    const diceValues: number[][] = Array.from({ length: numClasses }, () => []);
    const iouValues: number[][] = Array.from({ length: numClasses }, () => []);
    for (const pair of pairs) {
      const counts = overlapCounts(pair.predicted, pair.truth, numClasses);
      diceFromCounts(counts).forEach((v, k) => Number.isNaN(v) || diceValues[k]!.push(v));
      iouFromCounts(counts).forEach((v, k) => Number.isNaN(v) || iouValues[k]!.push(v));
    }
    const mean = (values: number[]): number => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN);
    dicePerClass = diceValues.map(mean);
    iouPerClass = iouValues.map(mean);
  }
  return {
    dicePerClass,
    iouPerClass,
    meanDice: meanOverClasses(dicePerClass, backgroundClass),
    meanIou: meanOverClasses(iouPerClass, backgroundClass),
  };
}
