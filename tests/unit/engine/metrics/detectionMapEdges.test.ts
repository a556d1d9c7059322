/**
 * Detection mAP at its edges: duplicates (recall never above 1), an IoU
 * exactly at the threshold, tied scores, equal IoU with two ground truths,
 * the 100-detection cap, and asymmetric (non-square, one-axis) overlaps.
 */
import { describe, expect, it } from 'vitest';
import { boxIou } from '../../../../main/engine/metrics/boxIou';
import { averagePrecision, detectionMap, type ScoredBox } from '../../../../main/engine/metrics/detectionMap';

const box = (x: number, y: number, w: number, h: number, score = 1, classId = 0): ScoredBox => ({ x, y, w, h, classId, score });

describe('boxIou on asymmetric boxes', () => {
  it('non-square boxes offset on both axes', () => {
    // a = [0,0,4,10], b = [2,5,4,10]: overlap 2 x 5 = 10, union 40 + 40 - 10 = 70
    expect(boxIou(box(0, 0, 4, 10), box(2, 5, 4, 10))).toBeCloseTo(10 / 70, 12);
    expect(boxIou(box(2, 5, 4, 10), box(0, 0, 4, 10))).toBeCloseTo(10 / 70, 12);
    // one inside the other: 4 x 5 / (10 x 10)
    expect(boxIou(box(2, 3, 4, 5), box(0, 0, 10, 10))).toBeCloseTo(0.2, 12);
  });

  it('is 0 when the boxes overlap on one axis only, or just touch', () => {
    expect(boxIou(box(0, 0, 10, 10), box(2, 20, 5, 5))).toBe(0);
    expect(boxIou(box(0, 0, 10, 10), box(20, 2, 5, 5))).toBe(0);
    expect(boxIou(box(0, 0, 10, 10), box(0, 10, 10, 10))).toBe(0);
    expect(boxIou(box(0, 0, 10, 10), box(10, 0, 10, 10))).toBe(0);
    // degenerate boxes (zero width or height) overlap nowhere: 0, not 0 / 0
    expect(boxIou(box(0, 0, 0, 10), box(0, 0, 0, 10))).toBe(0);
    expect(boxIou(box(0, 0, 10, 0), box(0, 0, 10, 0))).toBe(0);
  });
});

describe('detectionMap edge cases', () => {
  it('a duplicate detection is a false positive: recall never exceeds 1', () => {
    const truth = [box(0, 0, 10, 10), box(40, 40, 10, 10)];
    // d1 and its duplicate d2 on truth 0, d3 on truth 1: TP, FP, TP -> recall .5 .5 1, precision 1 .5 2/3
    const predicted = [box(0, 0, 10, 10, 0.9), box(0, 0, 10, 10, 0.8), box(40, 40, 10, 10, 0.7)];
    expect(detectionMap([{ truth, predicted }], 1).map50).toBeCloseTo((51 + 50 * (2 / 3)) / 101, 12);
    // three copies of one detection on truth 0 only: recall stays at 1/2, AP = 51/101
    const copies = [0.9, 0.8, 0.7].map((s) => box(0, 0, 10, 10, s));
    expect(detectionMap([{ truth, predicted: copies }], 1).map50).toBeCloseTo(51 / 101, 12);
  });

  it('an IoU exactly at the threshold is a match; just below is not', () => {
    const truth = [box(0, 0, 10, 10)];
    // [0,0,10,5] inside [0,0,10,10]: IoU 50/100 = 0.5 exactly
    expect(boxIou(box(0, 0, 10, 5), truth[0]!)).toBe(0.5);
    expect(averagePrecision([{ truth, predicted: [box(0, 0, 10, 5, 0.9)] }], 0, 0.5)).toBeCloseTo(1, 12);
    expect(averagePrecision([{ truth, predicted: [box(0, 0, 10, 4.99, 0.9)] }], 0, 0.5)).toBe(0);
    // at 0.55 the exact-0.5 box fails; 0.5 of the ten thresholds is matched: AP[.5:.95] = 0.1
    expect(detectionMap([{ truth, predicted: [box(0, 0, 10, 5, 0.9)] }], 1).map5095).toBeCloseTo(0.1, 12);
    // IoU 1 matches even at 0.95
    expect(averagePrecision([{ truth, predicted: [box(0, 0, 10, 10, 0.9)] }], 0, 0.95)).toBeCloseTo(1, 12);
  });

  it('tied scores keep the input order, within an image and across images', () => {
    const truth = [box(0, 0, 10, 10)];
    const fp = box(50, 50, 5, 5, 0.5);
    const tp = box(0, 0, 10, 10, 0.5);
    expect(detectionMap([{ truth, predicted: [fp, tp] }], 1).map50).toBeCloseTo(0.5, 12);
    expect(detectionMap([{ truth, predicted: [tp, fp] }], 1).map50).toBeCloseTo(1, 12);
    // across images: the first image's detection ranks first on a tie
    const fpImage = { truth: [], predicted: [fp] };
    const tpImage = { truth, predicted: [tp] };
    expect(detectionMap([fpImage, tpImage], 1).map50).toBeCloseTo(0.5, 12);
    expect(detectionMap([tpImage, fpImage], 1).map50).toBeCloseTo(1, 12);
  });

  it('within an image the higher score picks its ground truth first, whatever the input order', () => {
    const truth = [box(0, 0, 10, 10)];
    // listed first: a lower-scored exact hit; second: a higher-scored box at IoU 0.6
    const exact = box(0, 0, 10, 10, 0.3);
    const loose = box(0, 0, 10, 6, 0.9);
    // at 0.5 the loose box (ranked first) takes the truth and the exact one is a duplicate: AP 1
    expect(averagePrecision([{ truth, predicted: [exact, loose] }], 0, 0.5)).toBeCloseTo(1, 12);
    // at 0.7 the loose box misses: FP then TP: AP 0.5
    expect(averagePrecision([{ truth, predicted: [exact, loose] }], 0, 0.7)).toBeCloseTo(0.5, 12);
    // tied scores: the first listed picks first; here the loose box, which misses at 0.7
    const tiedLooseFirst = [box(0, 0, 10, 6, 0.5), box(0, 0, 10, 10, 0.5)];
    expect(averagePrecision([{ truth, predicted: tiedLooseFirst }], 0, 0.5)).toBeCloseTo(1, 12);
    expect(averagePrecision([{ truth, predicted: tiedLooseFirst }], 0, 0.7)).toBeCloseTo(0.5, 12);
  });

  it('on equal IoU with two ground truths the later one is taken (COCOeval)', () => {
    // d1 overlaps g0 = [0,0,10,7.8] and g1 = [0,2.2,10,7.8] with IoU 0.78 each and takes g1;
    // d2 = g0 exactly then takes g0 at IoU 1. Taking g0 first would leave d2 with IoU 0.56 on g1,
    // a false positive at threshold 0.7 (AP 51/101 instead of 1).
    const truth = [box(0, 0, 10, 7.8), box(0, 2.2, 10, 7.8)];
    const predicted = [box(0, 0, 10, 10, 0.9), box(0, 0, 10, 7.8, 0.8)];
    expect(boxIou(predicted[0]!, truth[0]!)).toBeCloseTo(boxIou(predicted[0]!, truth[1]!), 12);
    expect(averagePrecision([{ truth, predicted }], 0, 0.7)).toBeCloseTo(1, 12);
  });

  it('keeps the 100 best-scored detections per image and class by default', () => {
    const truth = [box(0, 0, 10, 10)];
    const misses = Array.from({ length: 100 }, (_, i) => box(100 + i * 20, 100, 5, 5, 0.9 - i * 0.001));
    const hitLast = [...misses, box(0, 0, 10, 10, 0.01)];
    expect(detectionMap([{ truth, predicted: hitLast }], 1).map50).toBe(0);
    expect(detectionMap([{ truth, predicted: hitLast }], 1, { maxDetections: 101 }).map50).toBeCloseTo(1 / 101, 12);
    // the cap is per image: a second image's hit is not cut
    expect(detectionMap([{ truth, predicted: misses }, { truth, predicted: [box(0, 0, 10, 10, 0.01)] }], 1).map50).toBeCloseTo(expectedTwoImageCap(), 12);
  });

  it('ignores classes without truth in the mean, and is NaN when no class has truth', () => {
    const r = detectionMap([{ truth: [], predicted: [box(0, 0, 5, 5, 0.9, 1)] }], 2);
    expect(r.map50).toBeNaN();
    expect(r.map5095).toBeNaN();
    expect(r.ap50PerClass.every((v) => Number.isNaN(v))).toBe(true);
    // class 0 perfect, class 1 never detected: mean over the two classes with truth
    const both = detectionMap([{ truth: [box(0, 0, 5, 5, 1, 0), box(20, 20, 5, 5, 1, 1)], predicted: [box(0, 0, 5, 5, 0.9, 0)] }], 3);
    expect(both.map50).toBeCloseTo(0.5, 12);
    expect(both.ap5095PerClass).toEqual([expect.closeTo(1, 12), 0, NaN]);
    expect(both.iouThresholds).toHaveLength(10);
    expect(both.iouThresholds[0]).toBe(0.5);
    expect(both.iouThresholds[5]).toBeCloseTo(0.75, 12);
  });

  it('names a box whose class is not an integer in range', () => {
    expect(() => detectionMap([{ truth: [box(0, 0, 5, 5, 1, 0.5)], predicted: [] }], 2)).toThrow(/image 0 has a box of class 0.5, outside 0..1/);
    expect(() => detectionMap([{ truth: [], predicted: [] }, { truth: [], predicted: [box(0, 0, 5, 5, 1, -1)] }], 2)).toThrow(/image 1 has a box of class -1/);
    expect(() => detectionMap([{ truth: [box(0, 0, 5, 5, 1, 2)], predicted: [] }], 2)).toThrow(/class 2, outside 0..1/);
  });
});

/**
 * Two images, one truth each; image A has 100 misses (scores .9 down to .801), image B one hit at .01.
 * Pooled: 100 FPs then 1 TP of 2 truths: recall reaches 1/2 at precision 1/101, never 1:
 * the 51 recall points 0..0.5 read 1/101, the rest 0.
 */
function expectedTwoImageCap(): number {
  return (51 * (1 / 101)) / 101;
}
