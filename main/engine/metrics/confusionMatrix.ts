/** counts[t][p]: samples of true class t predicted as p (rows = truth, columns = prediction). */
export type ConfusionMatrix = number[][];

export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, numClasses: number): ConfusionMatrix {
  assertSameLength(yTrue, yPred, 'confusionMatrix');
  const m: ConfusionMatrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i] as number;
    const p = yPred[i] as number;
    if (!isClass(t, numClasses) || !isClass(p, numClasses)) {
      throw new Error(`confusionMatrix: sample ${i} has class ${t} -> ${p}, outside 0..${numClasses - 1}`);
    }
    const row = m[t] as number[];
    row[p] = (row[p] as number) + 1;
  }
  return m;
}

/** Per class: true positives, false positives, false negatives, support (true count). */
export interface ClassCounts {
  tp: number;
  fp: number;
  fn: number;
  support: number;
}

export function perClassCounts(matrix: ConfusionMatrix): ClassCounts[] {
  const n = matrix.length;
  return matrix.map((row, k) => {
    const tp = row[k] ?? 0;
    const support = row.reduce((a, b) => a + b, 0);
    let predicted = 0;
    // Stryker disable next-line EqualityOperator,OptionalChaining: equivalent, row n is undefined and adds 0; rows 0..n-1 always exist
    for (let t = 0; t < n; t++) predicted += matrix[t]?.[k] ?? 0;
    return { tp, fp: predicted - tp, fn: support - tp, support };
  });
}

function isClass(v: number, numClasses: number): boolean {
  return Number.isInteger(v) && v >= 0 && v < numClasses;
}

export function assertSameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>, what: string): void {
  if (a.length !== b.length) throw new Error(`${what}: ${a.length} true labels but ${b.length} predictions`);
}
