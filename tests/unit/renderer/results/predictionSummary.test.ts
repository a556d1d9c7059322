import { describe, expect, it } from 'vitest';
import type { PredictionItem } from '../../../../shared/api/runs';
import { isCorrect, itemCaption, metricColumns, normaliseRows } from '../../../../renderer/src/results/predictionSummary';

const names = { classNames: ['cat', 'dog'] };
const item = (extra: Partial<PredictionItem>): PredictionItem => ({ imageId: 1, index: 0, imageDataUrl: '', score: 0, source: null, ...extra });

describe('prediction summaries', () => {
  it('captions classification, segmentation and detection items', () => {
    expect(itemCaption(item({ classification: { trueLabel: 0, predicted: 1, probabilities: [0.3, 0.7] } }), names)).toBe('cat → dog (0.70)');
    expect(itemCaption(item({ segmentation: { dice: 0.81234, iou: 0.7, truth: { width: 1, height: 1, base64: '' }, predicted: { width: 1, height: 1, base64: '' } } }), names)).toBe('Dice 0.812');
    expect(itemCaption(item({ detection: { truth: [{ x: 0, y: 0, w: 1, h: 1, classId: 0 }], predicted: [{ x: 0, y: 0, w: 1, h: 1, classId: 0, score: 0.1 }], matches: [], precision: 0, recall: 0 } }), names)).toBe('0/1 found, 0 pred. ≥ 0.50');
    // at the page's threshold: the low-scoring box counts at 0.05 and matches the truth
    expect(itemCaption(item({ detection: { truth: [{ x: 0, y: 0, w: 1, h: 1, classId: 0 }], predicted: [{ x: 0, y: 0, w: 1, h: 1, classId: 0, score: 0.1 }], matches: [], precision: 0, recall: 0 } }), names, 0.05)).toBe('1/1 found, 1 pred. ≥ 0.05');
  });

  it('judges correctness, multi-label included', () => {
    expect(isCorrect(item({ classification: { trueLabel: [0, 1], predicted: 1, probabilities: [] } }))).toBe(true);
    expect(isCorrect(item({ classification: { trueLabel: 0, predicted: 1, probabilities: [] } }))).toBe(false);
    expect(isCorrect(item({}))).toBeNull();
  });

  it('normalises confusion rows and orders metric columns with loss last', () => {
    expect(normaliseRows([[3, 1], [0, 0]])).toEqual([[0.75, 0.25], [0, 0]]);
    expect(metricColumns({ a: { loss: 1, dice: 0.5 }, b: { accuracy: 0.9 } })).toEqual(['accuracy', 'dice', 'loss']);
  });
});
