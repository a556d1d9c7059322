/**
 * Area under the ROC curve, computed as the Mann-Whitney statistic: the
 * probability that a random positive scores higher than a random negative,
 * ties counting one half (mid-ranks), which equals the trapezoidal ROC area.
 */

/** NaN when the truth has only one class (the curve is undefined). */
export function binaryAuroc(scores: ArrayLike<number>, isPositive: ArrayLike<number | boolean>): number {
  if (scores.length !== isPositive.length) throw new Error(`binaryAuroc: ${scores.length} scores but ${isPositive.length} labels`);
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let positives = 0;
  let positiveRankSum = 0;
  let i = 0;
  // Stryker disable next-line EqualityOperator: equivalent, position n reads order[n] = undefined, never positive
  while (i < n) {
    let j = i;
    // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: equivalent, scores[order[n]] is undefined, never equal to a score, so the run of ties stops at n anyway
    while (j + 1 < n && scores[order[j + 1] as number] === scores[order[i] as number]) j++;
    const midRank = (i + j) / 2 + 1; // ranks are 1-based
    for (let k = i; k <= j; k++) {
      if (isPositive[order[k] as number]) {
        positives++;
        positiveRankSum += midRank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, with no positives or no negatives the formula below is 0 / 0 = NaN too (the check states the rule)
  if (positives === 0 || negatives === 0) return NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * One-vs-rest macro AUROC for single-label multi-class data: scores is the
 * row-major N x C array of class scores (probabilities or logits: only the
 * order within a column matters). Classes without positives or without
 * negatives in the truth are left out; NaN if none remains. For C = 2 this
 * is the binary AUROC of class 1 (both columns give the same value for
 * softmax outputs).
 */
export function macroAurocOvr(yTrue: ArrayLike<number>, scores: ArrayLike<number>, numClasses: number): number {
  if (scores.length !== yTrue.length * numClasses) {
    throw new Error(`macroAurocOvr: expected ${yTrue.length} x ${numClasses} scores, got ${scores.length}`);
  }
  const perClass = perClassAurocOvr(yTrue, scores, numClasses).filter((v) => !Number.isNaN(v));
  return perClass.length ? perClass.reduce((a, b) => a + b, 0) / perClass.length : NaN;
}

export function perClassAurocOvr(yTrue: ArrayLike<number>, scores: ArrayLike<number>, numClasses: number): number[] {
  const n = yTrue.length;
  return Array.from({ length: numClasses }, (_, k) => {
    const column = new Float64Array(n);
    const positive = new Uint8Array(n);
    // Stryker disable next-line EqualityOperator: equivalent, index n is past both typed arrays' ends (writes ignored)
    for (let i = 0; i < n; i++) {
      column[i] = scores[i * numClasses + k] as number;
      positive[i] = yTrue[i] === k ? 1 : 0;
    }
    return binaryAuroc(column, positive);
  });
}
