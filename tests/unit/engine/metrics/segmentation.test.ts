import { describe, expect, it } from 'vitest';
import { diceFromCounts, iouFromCounts, overlapCounts, segmentationMetrics } from '../../../../main/engine/metrics/segmentationOverlap';
import { outsideImageClass } from '../../../../shared/letterbox';

describe('segmentation Dice and IoU (hand-computed)', () => {
  const truth = [0, 0, 1, 1, 2, 2, 0, 0];
  const pred = [0, 1, 1, 1, 2, 0, 0, 0];

  it('per class from one pair of masks; a class absent from both is not applicable (NaN), never 1', () => {
    const c = overlapCounts(pred, truth, 4);
    // class 0: |P|=4 |T|=4 |P∩T|=3; class 1: 3, 2, 2; class 2: 1, 2, 1; class 3: absent
    expect(Array.from(c.intersection)).toEqual([3, 2, 1, 0]);
    const dice = diceFromCounts(c);
    const iou = iouFromCounts(c);
    expect(dice[0]).toBeCloseTo(0.75, 12);
    expect(dice[1]).toBeCloseTo(0.8, 12);
    expect(dice[2]).toBeCloseTo(2 / 3, 12);
    expect(dice[3]).toBeNaN();
    expect(iou[0]).toBeCloseTo(0.6, 12);
    expect(iou[1]).toBeCloseTo(2 / 3, 12);
    expect(iou[2]).toBeCloseTo(0.5, 12);
    expect(iou[3]).toBeNaN();
    // Dice = 2 IoU / (1 + IoU) for each class that occurs
    iou.slice(0, 3).forEach((j, k) => expect(dice[k]).toBeCloseTo((2 * j) / (1 + j), 12));
  });

  it('means score every class that occurs unless a background class is named, whatever its index', () => {
    const m = segmentationMetrics([{ predicted: pred, truth }], 4);
    // class 3 occurs nowhere: left out, not averaged in as 1
    expect(m.meanDice).toBeCloseTo((0.75 + 0.8 + 2 / 3) / 3, 12);
    expect(m.meanIou).toBeCloseTo((0.6 + 2 / 3 + 0.5) / 3, 12);
    expect(segmentationMetrics([{ predicted: pred, truth }], 4, { backgroundClass: 0 }).meanDice).toBeCloseTo((0.8 + 2 / 3) / 2, 12);
    expect(segmentationMetrics([{ predicted: pred, truth }], 4, { backgroundClass: 2 }).meanDice).toBeCloseTo((0.75 + 0.8) / 2, 12);
    // nothing scored occurs: no headline rather than a made-up one
    expect(segmentationMetrics([{ predicted: [0, 0], truth: [0, 0] }], 2, { backgroundClass: 0 }).meanDice).toBeNaN();
  });

  it('leaves truth pixels outside the image (letterbox padding) uncounted', () => {
    const c = overlapCounts([1, 0, 1, 0], [1, 0, outsideImageClass, outsideImageClass], 2);
    expect(Array.from(c.predicted)).toEqual([1, 1]);
    expect(Array.from(c.truth)).toEqual([1, 1]);
    expect(diceFromCounts(c)).toEqual([1, 1]);
  });

  it('pooled vs per-image averaging differ as documented', () => {
    // image A: class 1 perfectly found (2 px); image B: no class 1 in truth, 2 px falsely predicted
    const a = { truth: [1, 1, 0, 0], predicted: [1, 1, 0, 0] };
    const b = { truth: [0, 0, 0, 0], predicted: [1, 1, 0, 0] };
    // pooled class 1: |P|=4, |T|=2, |P∩T|=2 -> 4/6
    expect(segmentationMetrics([a, b], 2).dicePerClass[1]).toBeCloseTo(4 / 6, 12);
    // per image: A = 1, B = 0 -> 0.5
    expect(segmentationMetrics([a, b], 2, { averaging: 'perImage' }).dicePerClass[1]).toBeCloseTo(0.5, 12);
    // an image where class 1 is absent from both does not count for class 1: the mean is over image A only
    expect(segmentationMetrics([a, { truth: [0, 0], predicted: [0, 0] }], 2, { averaging: 'perImage', backgroundClass: 0 }).meanDice).toBe(1);
    expect(segmentationMetrics([b, { truth: [0, 0], predicted: [0, 0] }], 2, { averaging: 'perImage', backgroundClass: 0 }).dicePerClass[1]).toBe(0);
  });

  it('rejects bad masks with a clear message', () => {
    expect(() => overlapCounts([0, 1], [0], 2)).toThrow(/2 pixels, truth has 1/);
    expect(() => overlapCounts([0, 5], [0, 0], 2)).toThrow(/pixel 1 has class 0 \(truth\) \/ 5/);
  });
});
