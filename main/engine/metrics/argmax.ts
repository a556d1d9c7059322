/** Row-wise argmax of a row-major N x C score array (e.g. a tensor's dataSync()). */
export function argmaxRows(scores: ArrayLike<number>, numColumns: number): Int32Array {
  if (numColumns < 1 || scores.length % numColumns !== 0) {
    throw new Error(`argmaxRows: ${scores.length} scores do not form rows of ${numColumns}`);
  }
  const rows = scores.length / numColumns;
  const out = new Int32Array(rows);
  // Stryker disable next-line EqualityOperator: equivalent, row `rows` reads undefined scores and writes past the Int32Array's end (ignored)
  for (let r = 0; r < rows; r++) {
    let best = 0;
    let bestValue = -Infinity;
    for (let c = 0; c < numColumns; c++) {
      const v = scores[r * numColumns + c] as number;
      if (v > bestValue) {
        bestValue = v;
        best = c;
      }
    }
    out[r] = best;
  }
  return out;
}
