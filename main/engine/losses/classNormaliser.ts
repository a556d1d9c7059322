/**
 * Every task's loss is divided by ln(C) so that an untrained head (uniform
 * prediction, loss ~ ln C) starts near 1 whatever its class count. Binary
 * decisions (C <= 2, each multi-label output) use ln 2, never ln 1 = 0.
 */
export function classNormaliser(numClasses: number): number {
  return Math.log(Math.max(2, numClasses));
}
