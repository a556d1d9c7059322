import { binaryAuroc } from './auroc';
import { f1FromCounts } from './macroF1';

export interface MultiLabelMetrics {
  /** share of samples whose whole label set is right */
  subsetAccuracy: number;
  /** share of (sample, label) decisions that are right */
  labelAccuracy: number;
  /** mean over labels of (sensitivity + specificity) / 2, over the classes present for that label */
  balancedAccuracy: number;
  /** mean per-label F1 over labels that are true or predicted somewhere */
  macroF1: number;
  /** mean per-label AUROC over labels with both positives and negatives */
  macroAuroc: number;
}

/**
 * Multi-label metrics. yTrue: row-major N x L multi-hot (0/1); scores: N x L
 * sigmoid probabilities (or logits with threshold 0). A label is predicted when its score >= threshold.
 */
export function multiLabelMetrics(yTrue: ArrayLike<number>, scores: ArrayLike<number>, numLabels: number, threshold = 0.5): MultiLabelMetrics {
  if (yTrue.length !== scores.length || yTrue.length % numLabels !== 0) {
    throw new Error(`multiLabelMetrics: ${yTrue.length} targets and ${scores.length} scores do not form rows of ${numLabels} labels`);
  }
  const n = yTrue.length / numLabels;
  // Stryker disable next-line ConditionalExpression: equivalent, with no rows every value below is 0 / 0 or the mean of nothing, NaN too
  if (n === 0) return { subsetAccuracy: NaN, labelAccuracy: NaN, balancedAccuracy: NaN, macroF1: NaN, macroAuroc: NaN };
  let exact = 0;
  let right = 0;
  for (let i = 0; i < n; i++) {
    let all = true;
    for (let l = 0; l < numLabels; l++) {
      const k = i * numLabels + l;
      const ok = (scores[k] as number) >= threshold === (yTrue[k] as number) > 0.5;
      if (ok) right++;
      else all = false;
    }
    if (all) exact++;
  }
  const f1s: number[] = [];
  const balanced: number[] = [];
  const aurocs: number[] = [];
  for (let l = 0; l < numLabels; l++) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let tn = 0;
    const column = new Float64Array(n);
    const truth = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const k = i * numLabels + l;
      const t = (yTrue[k] as number) > 0.5;
      const p = (scores[k] as number) >= threshold;
      column[i] = scores[k] as number;
      truth[i] = t ? 1 : 0;
      if (t && p) tp++;
      else if (!t && p) fp++;
      else if (t) fn++;
      else tn++;
    }
    if (tp + fp + fn > 0) f1s.push(f1FromCounts({ tp, fp, fn }));
    const recalls: number[] = [];
    if (tp + fn > 0) recalls.push(tp / (tp + fn));
    if (tn + fp > 0) recalls.push(tn / (tn + fp));
    balanced.push(recalls.reduce((a, b) => a + b, 0) / recalls.length);
    const auc = binaryAuroc(column, truth);
    if (!Number.isNaN(auc)) aurocs.push(auc);
  }
  const mean = (v: number[]): number => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN);
  return {
    subsetAccuracy: exact / n,
    labelAccuracy: right / (n * numLabels),
    balancedAccuracy: mean(balanced),
    macroF1: mean(f1s),
    macroAuroc: mean(aurocs),
  };
}
