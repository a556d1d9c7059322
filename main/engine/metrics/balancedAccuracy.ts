import { confusionMatrix, perClassCounts } from './confusionMatrix';

/**
 * Mean recall over the classes present in the truth (as scikit-learn does:
 * a class with no true sample has no recall and is left out). NaN if no samples.
 */
export function balancedAccuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, numClasses: number): number {
  const counts = perClassCounts(confusionMatrix(yTrue, yPred, numClasses)).filter((c) => c.support > 0);
  // Stryker disable next-line ConditionalExpression: equivalent, without it the mean of no recalls is 0 / 0 = NaN too
  if (counts.length === 0) return NaN;
  return counts.reduce((sum, c) => sum + c.tp / c.support, 0) / counts.length;
}
