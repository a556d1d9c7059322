import { describe, expect, it } from 'vitest';
import { multiLabelMetrics } from '../../../../main/engine/metrics/multiLabelMetrics';

describe('multi-label metrics (hand-computed)', () => {
  it('computes subset / label accuracy, balanced accuracy, macro F1 and AUROC per label', () => {
    // 4 samples x 2 labels
    const truth = [1, 0, 1, 1, 0, 0, 0, 1];
    const scores = [0.9, 0.2, 0.6, 0.4, 0.7, 0.1, 0.2, 0.8];
    // decisions at 0.5: [1,0] [1,0] [1,0] [0,1]
    const m = multiLabelMetrics(truth, scores, 2);
    expect(m.subsetAccuracy).toBe(0.5); // samples 0 and 3
    expect(m.labelAccuracy).toBe(6 / 8);
    // label 0: tp2 fp1 fn0 tn1 -> F1 0.8, balanced (1 + 0.5)/2; label 1: tp1 fn1 tn2 -> F1 2/3, balanced (0.5 + 1)/2
    expect(m.macroF1).toBeCloseTo((0.8 + 2 / 3) / 2, 12);
    expect(m.balancedAccuracy).toBeCloseTo(0.75, 12);
    // label 0: positives 0.9, 0.6 vs negatives 0.7, 0.2 -> 3/4; label 1: positives 0.4, 0.8 vs 0.2, 0.1 -> 1
    expect(m.macroAuroc).toBeCloseTo(0.875, 12);
  });

  it('rejects mismatched shapes', () => {
    expect(() => multiLabelMetrics([1, 0, 1], [0.1, 0.2, 0.3], 2)).toThrow(/rows of 2 labels/);
  });
});
