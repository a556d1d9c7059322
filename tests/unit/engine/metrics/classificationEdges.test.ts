/**
 * Classification metrics on asymmetric inputs: three classes with uneven
 * support, negative scores, ties, classes present only in the prediction,
 * scores exactly at the decision threshold.
 */
import { describe, expect, it } from 'vitest';
import { accuracy } from '../../../../main/engine/metrics/accuracy';
import { argmaxRows } from '../../../../main/engine/metrics/argmax';
import { binaryAuroc, macroAurocOvr, perClassAurocOvr } from '../../../../main/engine/metrics/auroc';
import { balancedAccuracy } from '../../../../main/engine/metrics/balancedAccuracy';
import { classificationMetrics } from '../../../../main/engine/metrics/classificationMetrics';
import { confusionMatrix, perClassCounts } from '../../../../main/engine/metrics/confusionMatrix';
import { f1FromCounts, macroF1 } from '../../../../main/engine/metrics/macroF1';
import { multiLabelMetrics } from '../../../../main/engine/metrics/multiLabelMetrics';

describe('argmax', () => {
  it('finds the largest of negative scores, takes the first of ties, and rejects ragged rows', () => {
    expect(Array.from(argmaxRows([-3, -1, -2, -4, -5, -6], 3))).toEqual([1, 0]);
    expect(Array.from(argmaxRows([0.2, 0.7, 0.7, 0.1], 4))).toEqual([1]);
    expect(Array.from(argmaxRows([], 2))).toEqual([]);
    expect(() => argmaxRows([1, 2, 3], 2)).toThrow(/3 scores do not form rows of 2/);
    expect(() => argmaxRows([1], 0)).toThrow(/rows of 0/);
    expect(() => argmaxRows([1, 2, 3, 4], -2)).toThrow(/4 scores do not form rows of -2/);
    // one column is a valid (if dull) score table
    expect(Array.from(argmaxRows([0.3, 0.1], 1))).toEqual([0, 0]);
    // a row's argmax never looks into the next row
    expect(Array.from(argmaxRows([0.1, 0.2, 0.9, 0.0], 2))).toEqual([1, 0]);
  });
});

describe('confusion matrix and counts, three uneven classes', () => {
  // truth: class 0 x1, class 1 x2, class 2 x3
  const yTrue = [0, 1, 1, 2, 2, 2];
  const yPred = [1, 1, 2, 2, 2, 0];

  it('counts rows as truth and columns as prediction', () => {
    const m = confusionMatrix(yTrue, yPred, 3);
    expect(m).toEqual([
      [0, 1, 0],
      [0, 1, 1],
      [1, 0, 2],
    ]);
    expect(perClassCounts(m)).toEqual([
      { tp: 0, fp: 1, fn: 1, support: 1 },
      { tp: 1, fp: 1, fn: 1, support: 2 },
      { tp: 2, fp: 1, fn: 1, support: 3 },
    ]);
  });

  it('rejects a class equal to C, negative or fractional, in truth or prediction', () => {
    expect(() => confusionMatrix([0, 1], [0, 3], 3)).toThrow(/sample 1 has class 1 -> 3, outside 0..2/);
    expect(() => confusionMatrix([3], [0], 3)).toThrow(/sample 0 has class 3 -> 0/);
    expect(() => confusionMatrix([-1], [0], 3)).toThrow(/sample 0/);
    expect(() => confusionMatrix([0], [1.5], 3)).toThrow(/sample 0/);
    expect(() => accuracy([0, 1], [0])).toThrow(/accuracy: 2 true labels but 1 predictions/);
    expect(() => confusionMatrix([0, 1], [0], 3)).toThrow(/confusionMatrix: 2 true labels but 1 predictions/);
  });

  it('accuracy, balanced accuracy and macro F1 weigh the classes differently', () => {
    expect(accuracy(yTrue, yPred)).toBeCloseTo(3 / 6, 12);
    // recalls 0/1, 1/2, 2/3
    expect(balancedAccuracy(yTrue, yPred, 3)).toBeCloseTo((0 + 1 / 2 + 2 / 3) / 3, 12);
    // F1: 0, 2/4, 4/6
    expect(macroF1(yTrue, yPred, 3)).toBeCloseTo((0 + 0.5 + 2 / 3) / 3, 12);
  });

  it('a class only predicted lowers macro F1 but not balanced accuracy; no samples give NaN', () => {
    expect(balancedAccuracy([0, 0, 1], [0, 2, 1], 3)).toBeCloseTo((1 / 2 + 1) / 2, 12);
    expect(macroF1([0, 0, 1], [0, 2, 1], 3)).toBeCloseTo((2 / 3 + 1 + 0) / 3, 12);
    expect(balancedAccuracy([], [], 3)).toBeNaN();
    expect(macroF1([], [], 3)).toBeNaN();
    expect(f1FromCounts({ tp: 0, fp: 0, fn: 0 })).toBe(0);
    expect(f1FromCounts({ tp: 3, fp: 1, fn: 2 })).toBeCloseTo(6 / 9, 12);
  });
});

describe('AUROC', () => {
  it('unsorted, negative scores and a run of ties across both classes', () => {
    // positives -0.5, 2, 0.3; negatives 0.3, -1, 0.3, 5
    // pairs won: -0.5 beats -1 (1); 2 beats 0.3, -1, 0.3 (3); 0.3 ties 0.3 twice (1), beats -1 (1) -> 6 of 12
    expect(binaryAuroc([-0.5, 0.3, 2, -1, 0.3, 0.3, 5], [1, 0, 1, 0, 1, 0, 0])).toBeCloseTo(6 / 12, 12);
    expect(binaryAuroc([3, 1, 2], [true, false, false])).toBe(1);
    expect(binaryAuroc([0.2, 0.1], [0, 0])).toBeNaN();
    expect(() => binaryAuroc([0.1, 0.2], [1])).toThrow(/2 scores but 1 labels/);
  });

  it('one-vs-rest reads each class its own column', () => {
    // 3 classes, 4 samples; class 1's column ranks its positive lowest
    const scores = [
      [0.6, 0.1, 0.3],
      [0.2, 0.5, 0.3],
      [0.1, 0.6, 0.3],
      [0.3, 0.3, 0.4],
    ].flat();
    const truth = [0, 2, 1, 2];
    // class 0: positive 0.6 vs 0.2 0.1 0.3 -> 1; class 1: positive 0.6 vs 0.1 0.5 0.3 -> 1;
    // class 2: positives 0.3, 0.4 vs negatives 0.3, 0.3 -> (0.5 + 0.5 + 1 + 1) / 4 = 0.75
    expect(perClassAurocOvr(truth, scores, 3)).toEqual([1, 1, 0.75]);
    expect(macroAurocOvr(truth, scores, 3)).toBeCloseTo(2.75 / 3, 12);
    expect(macroAurocOvr([1, 1], [0.2, 0.8, 0.3, 0.7], 2)).toBeNaN();
  });

  it('classificationMetrics with three classes, and mismatched rows named', () => {
    const scores = [
      [2, 1, 0],
      [0, 3, 1],
      [0, 1, 4],
      [1, 0, 0],
      [0, 2, 1],
    ].flat();
    const m = classificationMetrics([0, 1, 2, 1, 1], scores, 3);
    expect(m.accuracy).toBeCloseTo(4 / 5, 12);
    expect(m.balancedAccuracy).toBeCloseTo((1 + 2 / 3 + 1) / 3, 12);
    expect(m.confusion[1]).toEqual([1, 2, 0]);
    expect(m.macroF1).toBeCloseTo((2 / 3 + 0.8 + 1) / 3, 12);
    expect(() => classificationMetrics([0, 1, 2], [1, 0, 0, 1], 2)).toThrow(/3 labels but 2 score rows/);
  });
});

describe('multi-label at the threshold', () => {
  it('a score equal to the threshold is a positive decision; a custom threshold is used', () => {
    const truth = [1, 0, 0, 1];
    expect(multiLabelMetrics(truth, [0.5, 0.49, 0.2, 0.5], 2).subsetAccuracy).toBe(1);
    expect(multiLabelMetrics(truth, [0.5, 0.49, 0.2, 0.5], 2, 0.6).labelAccuracy).toBe(0.5);
    expect(multiLabelMetrics(truth, [0.7, 0.65, 0.2, 0.9], 2, 0.6).labelAccuracy).toBe(0.75);
  });

  it('a label never true nor predicted leaves F1 alone; one class present gives a one-sided balanced accuracy', () => {
    // label 0: always 0 and never predicted; label 1: tp 1, fn 1, tn 1
    const truth = [0, 1, 0, 1, 0, 0];
    const scores = [0.1, 0.9, 0.2, 0.3, 0.3, 0.1];
    const m = multiLabelMetrics(truth, scores, 2);
    expect(m.macroF1).toBeCloseTo(2 / 3, 12);
    // label 0: specificity 1 only; label 1: (1/2 + 1) / 2
    expect(m.balancedAccuracy).toBeCloseTo((1 + 0.75) / 2, 12);
    // label 0 has no positives: AUROC only from label 1 (0.9, 0.3 vs 0.1): 1
    expect(m.macroAuroc).toBe(1);
    expect(m.subsetAccuracy).toBeCloseTo(2 / 3, 12);
    expect(m.labelAccuracy).toBeCloseTo(5 / 6, 12);
  });

  it('per-label counts: a score at the threshold is a positive, a target of 0.5 is not, a false-positive-only label scores F1 0', () => {
    // label 0: truth 1, score exactly 0.5 -> TP; label 1: truth 0.5 (not > 0.5), score 0.9 -> FP only
    const m = multiLabelMetrics([1, 0.5], [0.5, 0.9], 2);
    expect(m.macroF1).toBeCloseTo((1 + 0) / 2, 12);
    expect(m.labelAccuracy).toBe(0.5);
    // a label true for every sample: its balanced accuracy is its sensitivity alone
    const allTrue = multiLabelMetrics([1, 1, 1], [0.9, 0.2, 0.8], 1);
    expect(allTrue.balancedAccuracy).toBeCloseTo(2 / 3, 12);
  });

  it('no samples: every value NaN; ragged input named', () => {
    const m = multiLabelMetrics([], [], 3);
    expect(Object.keys(m).sort()).toEqual(['balancedAccuracy', 'labelAccuracy', 'macroAuroc', 'macroF1', 'subsetAccuracy']);
    for (const v of Object.values(m)) expect(v).toBeNaN();
    expect(() => multiLabelMetrics([1, 0], [0.2, 0.1, 0.3], 2)).toThrow(/2 targets and 3 scores/);
    expect(() => multiLabelMetrics([1, 0, 1], [0.2, 0.1, 0.3], 2)).toThrow(/rows of 2 labels/);
  });
});
