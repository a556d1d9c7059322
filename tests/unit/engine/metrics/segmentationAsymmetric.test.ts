/**
 * Segmentation overlap with inputs that are not symmetric: more images than
 * classes, class ids at the edge (id == C), classes found in only some images.
 */
import { describe, expect, it } from 'vitest';
import { addOverlapCounts, emptyOverlapCounts, meanOverClasses, overlapCounts, segmentationMetrics } from '../../../../main/engine/metrics/segmentationOverlap';

describe('segmentation counts at the class-id edges', () => {
  it('rejects a class id equal to C, in the prediction or in the truth, and negative ids', () => {
    expect(() => overlapCounts([0, 3], [0, 0], 3)).toThrow(/pixel 1 has class 0 \(truth\) \/ 3 \(predicted\), outside 0..2/);
    expect(() => overlapCounts([0, 0, 0], [0, 0, 3], 3)).toThrow(/pixel 2 has class 3 \(truth\)/);
    expect(() => overlapCounts([-1], [0], 3)).toThrow(/pixel 0/);
    expect(() => overlapCounts([0], [-1], 3)).toThrow(/pixel 0/);
    // C - 1 is a real class and is counted
    const c = overlapCounts([2, 2, 0], [2, 1, 0], 3);
    expect(Array.from(c.predicted)).toEqual([1, 0, 2]);
    expect(Array.from(c.truth)).toEqual([1, 1, 1]);
    expect(Array.from(c.intersection)).toEqual([1, 0, 1]);
  });

  it('adds counts class by class and refuses counts of another class count', () => {
    const a = overlapCounts([0, 1, 2], [0, 2, 2], 3);
    const b = overlapCounts([1, 1, 2], [1, 0, 0], 3);
    const sum = addOverlapCounts(emptyOverlapCounts(3), a);
    addOverlapCounts(sum, b);
    expect(Array.from(sum.predicted)).toEqual([1, 3, 2]);
    expect(Array.from(sum.truth)).toEqual([3, 1, 2]);
    expect(Array.from(sum.intersection)).toEqual([1, 1, 1]);
    expect(() => addOverlapCounts(emptyOverlapCounts(3), emptyOverlapCounts(4))).toThrow(/3 and 4 classes/);
  });
});

describe('per-image mean with more images than classes', () => {
  // three images, two classes: a mean divided by the class count (2) instead of the image count (3) shows
  const images = [
    { truth: [1, 1, 0, 0], predicted: [1, 1, 0, 0] }, // class 1 Dice 1, IoU 1; class 0 Dice 1
    { truth: [1, 1, 1, 0], predicted: [1, 0, 0, 0] }, // class 1: |P|=1 |T|=3 inter 1 -> Dice 2/4, IoU 1/3; class 0: |P|=3 |T|=1 inter 1 -> Dice 2/4, IoU 1/3
    { truth: [0, 0, 0, 0], predicted: [0, 0, 0, 1] }, // class 1: |P|=1 |T|=0 -> Dice 0, IoU 0; class 0: |P|=3 |T|=4 inter 3 -> Dice 6/7, IoU 3/4
  ];

  it('averages each class over the images', () => {
    // class 0 is the background here: the means are over class 1
    const m = segmentationMetrics(images, 2, { averaging: 'perImage', backgroundClass: 0 });
    expect(m.dicePerClass[1]).toBeCloseTo((1 + 0.5 + 0) / 3, 12);
    expect(m.iouPerClass[1]).toBeCloseTo((1 + 1 / 3 + 0) / 3, 12);
    expect(m.dicePerClass[0]).toBeCloseTo((1 + 0.5 + 6 / 7) / 3, 12);
    expect(m.iouPerClass[0]).toBeCloseTo((1 + 1 / 3 + 3 / 4) / 3, 12);
    expect(m.meanDice).toBeCloseTo(0.5, 12);
    expect(m.meanIou).toBeCloseTo(4 / 9, 12);
  });

  it('pooled averaging adds the counts first', () => {
    // class 1 pooled: |P| = 2 + 1 + 1 = 4, |T| = 2 + 3 + 0 = 5, inter = 2 + 1 = 3
    const m = segmentationMetrics(images, 2, { backgroundClass: 0 });
    expect(m.dicePerClass[1]).toBeCloseTo(6 / 9, 12);
    expect(m.iouPerClass[1]).toBeCloseTo(3 / 6, 12);
    expect(m.meanDice).toBeCloseTo(6 / 9, 12);
    expect(m.meanIou).toBeCloseTo(0.5, 12);
  });
});

describe('means over classes', () => {
  it('C > 2: every class is scored unless one is the background, which is then left out of the mean', () => {
    const pairs = [{ truth: [0, 1, 2, 2, 3], predicted: [0, 1, 2, 3, 3] }];
    // class 0: 1; class 1: 1; class 2: |P|=1 |T|=2 inter 1 -> 2/3; class 3: |P|=2 |T|=1 inter 1 -> 2/3
    const m = segmentationMetrics(pairs, 4);
    expect(m.meanDice).toBeCloseTo((1 + 1 + 2 / 3 + 2 / 3) / 4, 12);
    expect(segmentationMetrics(pairs, 4, { backgroundClass: 0 }).meanDice).toBeCloseTo((1 + 2 / 3 + 2 / 3) / 3, 12);
    // a background other than class 0 (here class 3) is the one left out
    expect(segmentationMetrics(pairs, 4, { backgroundClass: 3 }).meanDice).toBeCloseTo((1 + 1 + 2 / 3) / 3, 12);
    expect(segmentationMetrics(pairs, 4, { backgroundClass: 0, averaging: 'perImage' }).meanIou).toBeCloseTo((1 + 0.5 + 0.5) / 3, 12);
  });

  it('a single-class task keeps its one class in the mean', () => {
    const m = segmentationMetrics([{ truth: [0, 0], predicted: [0, 0] }], 1);
    expect(m.meanDice).toBe(1);
    expect(meanOverClasses([0.25, 0.75])).toBe(0.5);
    expect(meanOverClasses([0.25, 0.75], 0)).toBe(0.75);
    expect(meanOverClasses([0.25, 0.75], 1)).toBe(0.25);
    expect(meanOverClasses([0.25], 0)).toBeNaN();
    // a not-applicable class (NaN) is left out, never averaged in
    expect(meanOverClasses([NaN, 0.5, 0.25])).toBe(0.375);
  });

  it('no images: every value is NaN, whatever the averaging', () => {
    for (const averaging of ['pooled', 'perImage'] as const) {
      const m = segmentationMetrics([], 3, { averaging });
      expect(m.dicePerClass).toHaveLength(3);
      expect(m.iouPerClass).toHaveLength(3);
      for (const v of [...m.dicePerClass, ...m.iouPerClass, m.meanDice, m.meanIou]) expect(v).toBeNaN();
    }
  });
});
