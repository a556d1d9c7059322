/**
 * Results rows -> one curve per (encoder, mode): mean, standard deviation,
 * min and max over seeds of the primary metric at each fraction. Rows that
 * were not trained (too small) contribute nothing; a fraction with no
 * trained seed has no point.
 */
import type { EvalCurve, EvalResultRow } from '../../shared/api/eval';

export function aggregateCurves(rows: readonly EvalResultRow[], metric: string): EvalCurve[] {
  const curves = new Map<string, { curve: EvalCurve; byFraction: Map<number, number[]> }>();
  for (const row of rows) {
    const key = JSON.stringify([row.encoder, row.mode]);
    let entry = curves.get(key);
    if (!entry) {
      entry = { curve: { encoder: row.encoder, mode: row.mode, points: [] }, byFraction: new Map() };
      curves.set(key, entry);
    }
    const value = row.metrics[metric];
    if (row.status !== 'ok' || value === undefined || !Number.isFinite(value)) continue;
    const list = entry.byFraction.get(row.fraction);
    if (list) list.push(value);
    else entry.byFraction.set(row.fraction, [value]);
  }
  return [...curves.values()].map(({ curve, byFraction }) => ({
    ...curve,
    points: [...byFraction.entries()]
      .sort(([a], [b]) => a - b)
      .map(([fraction, values]) => {
        const mean = values.reduce((s, v) => s + v, 0) / values.length;
        // sample standard deviation over seeds (0 for a single seed)
        const sd = values.length > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
        return { fraction, mean, sd, min: Math.min(...values), max: Math.max(...values), seeds: values.length };
      }),
  }));
}

/** Metric names present in the rows, in a stable order (primary first). */
export function metricNames(rows: readonly EvalResultRow[], primary: string): string[] {
  const names = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row.metrics)) names.add(name);
  return [...names].sort((a, b) => (a === primary ? -1 : b === primary ? 1 : a.localeCompare(b)));
}
