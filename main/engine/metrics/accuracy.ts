import { assertSameLength } from './confusionMatrix';

/** Share of samples whose predicted class equals the true class; NaN for no samples. */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  assertSameLength(yTrue, yPred, 'accuracy');
  // Stryker disable next-line ConditionalExpression: equivalent, without it 0 hits / 0 samples is NaN too
  if (yTrue.length === 0) return NaN;
  let hits = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hits++;
  return hits / yTrue.length;
}
