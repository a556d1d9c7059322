import { describe, expect, it } from 'vitest';
import { countsAtThreshold, f1OptimalThreshold, matchBoxesByScore } from '../../../shared/boxMatching';

const truth = [
  { x: 0, y: 0, w: 10, h: 10, classId: 0 },
  { x: 20, y: 20, w: 10, h: 10, classId: 1 },
];

describe('box matching at a score threshold', () => {
  it('matches by descending score, same class, each truth once', () => {
    const predicted = [
      { x: 1, y: 0, w: 10, h: 10, classId: 0, score: 0.4 },
      { x: 0, y: 0, w: 10, h: 10, classId: 0, score: 0.9 },
      { x: 20, y: 20, w: 10, h: 10, classId: 0, score: 0.8 }, // right place, wrong class
    ];
    expect(matchBoxesByScore(predicted, truth)).toEqual([{ predicted: 1, truth: 0, iou: 1 }]);
    expect(countsAtThreshold([{ predicted, truth }], 0.5)).toEqual({ truePositives: 1, falsePositives: 1, falseNegatives: 1 });
  });

  it('finds the F1-optimal threshold: above the false alarms, below the hits', () => {
    const predicted = [
      { x: 0, y: 0, w: 10, h: 10, classId: 0, score: 0.72 },
      { x: 20, y: 20, w: 10, h: 10, classId: 1, score: 0.66 },
      { x: 50, y: 50, w: 10, h: 10, classId: 1, score: 0.31 },
      { x: 70, y: 50, w: 10, h: 10, classId: 0, score: 0.12 },
    ];
    const best = f1OptimalThreshold([{ predicted, truth }]);
    expect(best.f1).toBe(1);
    expect(best.threshold).toBeGreaterThan(0.31);
    expect(best.threshold).toBeLessThanOrEqual(0.66);
  });
});
