/** The results table as CSV (one row per encoder, mode, fraction and seed). */
import type { EvalResultRow } from '../../shared/api/eval';
import { metricNames } from './studyCurves';

/** A spreadsheet runs a cell starting with = + - @ (or a tab/CR before one) as a formula: such text gets a leading '. */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function csvField(value: string | number): string {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : neutraliseFormula(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function resultsCsv(rows: readonly EvalResultRow[], primaryMetric: string): string {
  const metrics = metricNames(rows, primaryMetric);
  const header = ['encoder', 'mode', 'fraction', 'seed', 'trainImages', 'testImages', 'status', ...metrics, 'seconds', 'note'];
  const lines = rows.map((r) =>
    [r.encoder, r.mode, r.fraction, r.seed, r.trainImages, r.testImages, r.status, ...metrics.map((m) => r.metrics[m] ?? Number.NaN), Number(r.seconds.toFixed(3)), r.note ?? '']
      .map(csvField)
      .join(','),
  );
  return [header.map(csvField).join(','), ...lines].join('\n') + '\n';
}
