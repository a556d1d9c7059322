import { describe, expect, it } from 'vitest';
import { accuracy } from '../../../../main/engine/metrics/accuracy';
import { argmaxRows } from '../../../../main/engine/metrics/argmax';
import { binaryAuroc, macroAurocOvr, perClassAurocOvr } from '../../../../main/engine/metrics/auroc';
import { balancedAccuracy } from '../../../../main/engine/metrics/balancedAccuracy';
import { classificationMetrics } from '../../../../main/engine/metrics/classificationMetrics';
import { confusionMatrix, perClassCounts } from '../../../../main/engine/metrics/confusionMatrix';
import { macroF1 } from '../../../../main/engine/metrics/macroF1';

describe('single-label classification metrics (hand-computed)', () => {
  const yTrue = [0, 0, 0, 0, 1, 1];
  const yPred = [0, 0, 0, 1, 1, 0];

  it('confusion matrix: rows are truth, columns predictions', () => {
    const m = confusionMatrix(yTrue, yPred, 3);
    expect(m).toEqual([
      [3, 1, 0],
      [1, 1, 0],
      [0, 0, 0],
    ]);
    expect(perClassCounts(m)[0]).toEqual({ tp: 3, fp: 1, fn: 1, support: 4 });
    expect(() => confusionMatrix([0, 3], [0, 0], 3)).toThrow(/sample 1 has class 3/);
    expect(() => confusionMatrix([0], [0, 1], 3)).toThrow(/1 true labels but 2 predictions/);
  });

  it('accuracy = 4 right of 6', () => {
    expect(accuracy(yTrue, yPred)).toBeCloseTo(4 / 6, 12);
    expect(accuracy([], [])).toBeNaN();
  });

  it('balanced accuracy = mean recall of present classes: (3/4 + 1/2) / 2', () => {
    expect(balancedAccuracy(yTrue, yPred, 3)).toBeCloseTo(0.625, 12);
    // an imbalanced set where always predicting the majority gives accuracy 0.9 but balanced 0.5
    const t = [...new Array(9).fill(0), 1];
    expect(balancedAccuracy(t, new Array(10).fill(0), 2)).toBe(0.5);
  });

  it('macro F1 over classes seen in truth or prediction', () => {
    // class 0: F1 = 6/8, class 1: F1 = 2/4, class 2 absent everywhere -> left out
    expect(macroF1(yTrue, yPred, 3)).toBeCloseTo(0.625, 12);
    // a wrongly predicted class 2 enters with F1 = 0: class 0 tp2 fp0 fn1 -> 0.8; class 1 tp1 -> 1; class 2 tp0 fp1 -> 0
    expect(macroF1([0, 0, 0, 1], [0, 0, 2, 1], 3)).toBeCloseTo(
      (0.8 + 1 + 0) / 3,
      12,
    );
  });

  it('binary AUROC: plain case and ties count one half', () => {
    expect(binaryAuroc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
    // positive 0.5 ties negative 0.5 (1/2), beats 0.2 (1); positive 0.9 beats both (2): 3.5 / 4
    expect(binaryAuroc([0.2, 0.5, 0.5, 0.9], [0, 0, 1, 1])).toBeCloseTo(0.875, 12);
    expect(binaryAuroc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
    expect(binaryAuroc([0.1, 0.2], [1, 1])).toBeNaN();
    expect(binaryAuroc([0.9, 0.8, 0.1], [false, true, true])).toBeCloseTo(0, 12);
  });

  it('one-vs-rest macro AUROC', () => {
    const scores = [0.7, 0.2, 0.1, 0.3, 0.4, 0.3, 0.2, 0.2, 0.6, 0.5, 0.1, 0.25];
    const truth = [0, 1, 2, 2];
    // class 0: 0.7 above 0.3, 0.2, 0.5 -> 1; class 1: 0.4 above all -> 1;
    // class 2: positives 0.6, 0.25 vs negatives 0.1, 0.3 -> 3 of 4 pairs -> 0.75
    expect(perClassAurocOvr(truth, scores, 3)).toEqual([1, 1, 0.75]);
    expect(macroAurocOvr(truth, scores, 3)).toBeCloseTo(2.75 / 3, 12);
    // a class missing from the truth is left out
    expect(macroAurocOvr([0, 0, 1], [0.9, 0.1, 0, 0.8, 0.2, 0, 0.3, 0.6, 0.1], 3)).toBe(1);
    expect(() => macroAurocOvr([0, 1], [0.1, 0.2, 0.3], 2)).toThrow(/expected 2 x 2/);
  });

  it('classificationMetrics bundles everything from scores', () => {
    const scores = new Float32Array([0.9, 0.1, 0.8, 0.2, 0.3, 0.7, 0.6, 0.4]);
    expect(Array.from(argmaxRows(scores, 2))).toEqual([0, 0, 1, 0]);
    const m = classificationMetrics([0, 1, 1, 0], scores, 2);
    expect(m.accuracy).toBe(0.75);
    expect(m.balancedAccuracy).toBe(0.75);
    // class 0: tp2 fp1 fn0 -> 0.8; class 1: tp1 fp0 fn1 -> 2/3
    expect(m.macroF1).toBeCloseTo((0.8 + 2 / 3) / 2, 6);
    // class 1 scores: positives 0.2, 0.7; negatives 0.1, 0.4 -> 3 of 4 pairs
    expect(m.auroc).toBeCloseTo(0.75, 6);
    expect(m.confusion).toEqual([
      [2, 0],
      [1, 1],
    ]);
  });
});
