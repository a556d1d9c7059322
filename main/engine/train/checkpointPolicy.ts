/**
 * When a validation makes a checkpoint the best one, in one place for the
 * trainer and a run's worker: the score is the mean of the tasks' primary
 * metrics (each task kind names its primary metric), `latest` is written after
 * every validation and `best` too when the score beats every earlier one (the
 * first validation of a run is its best so far).
 */

/** The mean of the tasks' primary metrics; 0 without tasks. */
export function validationScore(metrics: Record<string, { primary: number }>): number {
  const values = Object.values(metrics);
  return values.length ? values.reduce((sum, m) => sum + m.primary, 0) / values.length : 0;
}

export function isNewBest(bestSoFar: number | null, score: number): boolean {
  return bestSoFar === null || score > bestSoFar;
}
