/**
 * How a study's numbers read, the same in the CLI, the HTML report and the
 * Evaluate page: mean ± sd over seeds, and a single seed as its value alone
 * (a "± 0.000" would claim a spread nobody measured).
 */
import type { EvalCurvePoint, EvalSavingGap } from './api/eval';

export function metricText(value: number | undefined | null): string {
  return value === undefined || value === null || !Number.isFinite(value) ? '–' : value.toFixed(3);
}

export function curvePointText(point: Pick<EvalCurvePoint, 'mean' | 'sd' | 'seeds'>): string {
  return point.seeds > 1 ? `${metricText(point.mean)} ± ${metricText(point.sd)} (n=${point.seeds})` : `${metricText(point.mean)} (1 seed)`;
}

/** encoder minus baseline, signed, with its bootstrap interval where there is one */
export function savingGapText(gap: EvalSavingGap): string {
  const sign = gap.gap >= 0 ? '+' : '';
  return gap.low === null || gap.high === null ? `${sign}${metricText(gap.gap)}` : `${sign}${metricText(gap.gap)} [${metricText(gap.low)}, ${metricText(gap.high)}]`;
}
