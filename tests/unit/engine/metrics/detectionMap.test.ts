import { describe, expect, it } from 'vitest';
import { boxIou } from '../../../../main/engine/metrics/boxIou';
import { COCO_IOU_THRESHOLDS, averagePrecision, detectionMap, type DetectionImage } from '../../../../main/engine/metrics/detectionMap';

describe('boxIou', () => {
  it('computes overlaps with area = w * h', () => {
    expect(boxIou({ x: 0, y: 0, w: 10, h: 10 }, { x: 0, y: 0, w: 10, h: 10 })).toBe(1);
    expect(boxIou({ x: 0, y: 0, w: 10, h: 10 }, { x: 5, y: 0, w: 10, h: 10 })).toBeCloseTo(50 / 150, 12);
    expect(boxIou({ x: 0, y: 0, w: 10, h: 10 }, { x: 10, y: 0, w: 5, h: 5 })).toBe(0);
  });
});

/**
 * A fixture whose COCO evaluation (pycocotools COCOeval, bbox) we work out by hand.
 *
 * Class 0, two ground-truth boxes, three detections:
 *   image A: truth g1 = [0,0,10,10]; d1 (score .9) = g1 exactly (IoU 1); d2 (.8) at [20,20,10,10] (no overlap)
 *   image B: truth g2 = [0,0,10,10]; d3 (.7) = [0,0,10,7.2] (IoU 72/100 = 0.72)
 *   Score order d1, d2, d3.
 *   IoU thresholds 0.50..0.70 (five): TP, FP, TP -> recall .5 .5 1, precision 1 .5 2/3 -> made
 *     non-increasing 1, 2/3, 2/3. Recall points 0..0.50 (51 points) read precision 1, points
 *     0.51..1 (50 points) read 2/3: AP = (51 + 50 * 2/3) / 101 = 253/303.
 *   Thresholds 0.75..0.95 (five): TP, FP, FP -> recall .5 .5 .5, precision 1 .5 1/3. Points
 *     0..0.50 read 1, later points are never reached (0): AP = 51/101.
 *   AP50 = 253/303, AP[.5:.95] = (5 * 253/303 + 5 * 153/303) / 10 = 203/303.
 * Class 1, one ground-truth box in image A at [30,30,12,12]:
 *   image B: d (.95) = [30,30,12,12] (a different image: FP)
 *   image A: d (.6) = [31,30,12,12]: IoU 132 / 156 = 0.846
 *   Thresholds 0.50..0.80 (seven): FP, TP -> recall 0, 1; precision 0, 1/2 -> non-increasing .5, .5;
 *     every recall point reads 0.5: AP = 0.5. Thresholds 0.85..0.95 (three): FP, FP: AP = 0.
 *   AP50 = 0.5, AP[.5:.95] = 7 * 0.5 / 10 = 0.35.
 * Class 2: one detection but no ground truth anywhere: left out of the means (COCO's -1).
 * mAP50 = (253/303 + 0.5) / 2, mAP[.5:.95] = (203/303 + 0.35) / 2.
 */
const fixture: DetectionImage[] = [
  {
    truth: [
      { x: 0, y: 0, w: 10, h: 10, classId: 0 },
      { x: 30, y: 30, w: 12, h: 12, classId: 1 },
    ],
    predicted: [
      { x: 20, y: 20, w: 10, h: 10, classId: 0, score: 0.8 },
      { x: 0, y: 0, w: 10, h: 10, classId: 0, score: 0.9 },
      { x: 31, y: 30, w: 12, h: 12, classId: 1, score: 0.6 },
      { x: 40, y: 40, w: 8, h: 8, classId: 2, score: 0.99 },
    ],
  },
  {
    truth: [{ x: 0, y: 0, w: 10, h: 10, classId: 0 }],
    predicted: [
      { x: 0, y: 0, w: 10, h: 7.2, classId: 0, score: 0.7 },
      { x: 30, y: 30, w: 12, h: 12, classId: 1, score: 0.95 },
    ],
  },
];

describe('detectionMap (COCO-style)', () => {
  it('uses the numpy linspace thresholds', () => {
    expect(COCO_IOU_THRESHOLDS).toHaveLength(10);
    expect(COCO_IOU_THRESHOLDS[0]).toBe(0.5);
    expect(COCO_IOU_THRESHOLDS[9]).toBe(0.95);
  });

  it('matches the hand-worked COCO result of the fixture', () => {
    const r = detectionMap(fixture, 3);
    expect(r.ap50PerClass[0]).toBeCloseTo(253 / 303, 10);
    expect(r.ap50PerClass[1]).toBeCloseTo(0.5, 10);
    expect(r.ap50PerClass[2]).toBeNaN();
    expect(r.ap5095PerClass[0]).toBeCloseTo(203 / 303, 10);
    expect(r.ap5095PerClass[1]).toBeCloseTo(0.35, 10);
    expect(r.map50).toBeCloseTo((253 / 303 + 0.5) / 2, 10);
    expect(r.map5095).toBeCloseTo((203 / 303 + 0.35) / 2, 10);
    expect(averagePrecision(fixture, 0, 0.8)).toBeCloseTo(51 / 101, 10);
  });

  it('perfect detections give AP 1; a duplicate detection is a false positive', () => {
    const truth = [{ x: 5, y: 5, w: 10, h: 10, classId: 0 }];
    expect(detectionMap([{ truth, predicted: [{ ...truth[0]!, score: 0.5 }] }], 1).map5095).toBeCloseTo(1, 12);
    // duplicate with the higher score matches first; the second copy is an FP ranked after the TP: AP still 1
    const dup = [{ ...truth[0]!, score: 0.9 }, { ...truth[0]!, score: 0.8 }];
    expect(detectionMap([{ truth, predicted: dup }], 1).map50).toBeCloseTo(1, 12);
    // an FP ranked above the only TP: precision at recall 1 is 1/2 -> AP 0.5
    const fpFirst = [{ x: 40, y: 40, w: 5, h: 5, classId: 0, score: 0.9 }, { ...truth[0]!, score: 0.8 }];
    expect(detectionMap([{ truth, predicted: fpFirst }], 1).map50).toBeCloseTo(0.5, 12);
  });

  it('greedy matching gives a detection the unmatched truth with the highest IoU', () => {
    const truth = [
      { x: 0, y: 0, w: 10, h: 10, classId: 0 },
      { x: 2, y: 0, w: 10, h: 10, classId: 0 },
    ];
    // d1 overlaps truth 0 (IoU 80/120) and truth 1 (IoU 1): it takes truth 1, the best; d2 then takes
    // truth 0 at IoU 1. Taking the first truth above 0.5 instead would leave d2 with IoU 0.67 and
    // make it a false positive at thresholds >= 0.7, so AP[.5:.95] would fall below 1.
    const predicted = [
      { x: 2, y: 0, w: 10, h: 10, classId: 0, score: 0.9 },
      { x: 0, y: 0, w: 10, h: 10, classId: 0, score: 0.8 },
    ];
    expect(detectionMap([{ truth, predicted }], 1).map5095).toBeCloseTo(1, 12);
  });

  it('a class with truth but no detection scores 0; maxDetections keeps the top-scored per image and class', () => {
    const truth = [{ x: 0, y: 0, w: 10, h: 10, classId: 1 }];
    expect(detectionMap([{ truth, predicted: [] }], 2).map50).toBe(0);
    const predicted = [
      { x: 30, y: 30, w: 5, h: 5, classId: 1, score: 0.9 },
      { x: 0, y: 0, w: 10, h: 10, classId: 1, score: 0.1 },
    ];
    expect(detectionMap([{ truth, predicted }], 2).map50).toBeCloseTo(0.5, 12);
    expect(detectionMap([{ truth, predicted }], 2, { maxDetections: 1 }).map50).toBe(0);
    expect(() => detectionMap([{ truth, predicted }], 1)).toThrow(/class 1, outside 0..0/);
  });
});
