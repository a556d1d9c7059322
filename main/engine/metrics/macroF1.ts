import { type ClassCounts, confusionMatrix, perClassCounts } from './confusionMatrix';

/** F1 of one class: 2TP / (2TP + FP + FN); 0 when the class is neither true nor predicted anywhere. */
export function f1FromCounts(c: Pick<ClassCounts, 'tp' | 'fp' | 'fn'>): number {
  const denominator = 2 * c.tp + c.fp + c.fn;
  return denominator === 0 ? 0 : (2 * c.tp) / denominator;
}

/**
 * Unweighted mean of per-class F1 over the classes that occur in the truth
 * or in the predictions (scikit-learn's labels=None behaviour); a class
 * absent from both says nothing about the model and is left out. NaN if no samples.
 */
export function macroF1(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, numClasses: number): number {
  const counts = perClassCounts(confusionMatrix(yTrue, yPred, numClasses)).filter((c) => c.tp + c.fp + c.fn > 0);
  // Stryker disable next-line ConditionalExpression: equivalent, without it the mean of no F1s is 0 / 0 = NaN too
  if (counts.length === 0) return NaN;
  return counts.reduce((sum, c) => sum + f1FromCounts(c), 0) / counts.length;
}
