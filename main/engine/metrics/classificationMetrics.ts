import { accuracy } from './accuracy';
import { argmaxRows } from './argmax';
import { macroAurocOvr } from './auroc';
import { balancedAccuracy } from './balancedAccuracy';
import { type ConfusionMatrix, confusionMatrix } from './confusionMatrix';
import { macroF1 } from './macroF1';

export interface ClassificationMetrics {
  accuracy: number;
  balancedAccuracy: number;
  macroF1: number;
  /** one-vs-rest macro AUROC; NaN when undefined (a single class in the truth) */
  auroc: number;
  confusion: ConfusionMatrix;
}

/** All single-label classification metrics from true labels and row-major N x C scores. */
export function classificationMetrics(yTrue: ArrayLike<number>, scores: ArrayLike<number>, numClasses: number): ClassificationMetrics {
  const yPred = argmaxRows(scores, numClasses);
  if (yPred.length !== yTrue.length) throw new Error(`classificationMetrics: ${yTrue.length} labels but ${yPred.length} score rows`);
  return {
    accuracy: accuracy(yTrue, yPred),
    balancedAccuracy: balancedAccuracy(yTrue, yPred, numClasses),
    macroF1: macroF1(yTrue, yPred, numClasses),
    auroc: macroAurocOvr(yTrue, scores, numClasses),
    confusion: confusionMatrix(yTrue, yPred, numClasses),
  };
}
