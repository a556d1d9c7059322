/**
 * The self-contained HTML report of a study: the plot (inline SVG), the
 * curves and the full results table, the dataset used, the settings and the
 * model card of every encoder. No scripts, no external resources.
 */
import { metricLabel } from '../../shared/metricNames';
import type { EvalConfig, EvalCurve, EvalResultRow, EvalSaving } from '../../shared/api/eval';
import { metricNames } from './studyCurves';
import { curvePointText, savingGapText } from '../../shared/studyText';
import { seriesName } from './labelEfficiencyPlot';
import { meaningfulMargin } from './studySavings';

export interface ReportInput {
  config: EvalConfig;
  taskDescription: string;
  classNames: string[];
  primaryMetric: string;
  rows: readonly EvalResultRow[];
  curves: readonly EvalCurve[];
  savings: readonly EvalSaving[];
  svg: string;
  modelCards: Array<{ label: string; card: Record<string, unknown> | null }>;
  backend: string;
  createdAt: string;
  seconds: number;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function num(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(3);
}

function savingsSection(savings: readonly EvalSaving[], primaryMetric: string): string {
  if (savings.length === 0) return '<p>No random-initialisation encoder in this study, so no saving is stated.</p>';
  const statements = savings.map((s) => `<li>${escapeHtml(`${s.statement} (${s.mode}).`)}</li>`).join('\n');
  const fractions = [...new Set(savings.flatMap((s) => s.gaps.map((g) => g.fraction)))].sort((a, b) => a - b);
  const gaps = table(
    ['encoder', ...fractions.map((f) => `${f}%`)],
    savings.map((s) => [`${s.encoder} (${s.mode})`, ...fractions.map((f) => {
      const g = s.gaps.find((q) => q.fraction === f);
      return g ? savingGapText(g) : '–';
    })]),
  );
  const rule = savings.some((s) => s.noMeaningfulBaseline)
    ? `\n<p>A saving is stated only against a baseline whose ${escapeHtml(metricLabel(primaryMetric))} with all its labels is clearly above chance (its interval over seeds clears chance by more than ${meaningfulMargin}) and clearly rises from its smallest fraction.</p>`
    : '';
  return `<ul>\n${statements}\n</ul>${rule}
<p>Gap in ${escapeHtml(metricLabel(primaryMetric))} to the baseline at each fraction (encoder minus baseline, mean over seeds; in brackets a 95 % bootstrap interval over seeds where there is more than one seed):</p>
${gaps}`;
}

function table(header: string[], rows: string[][]): string {
  const head = header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

export function htmlReport(input: ReportInput): string {
  const { config, rows, curves, primaryMetric } = input;
  const metrics = metricNames(rows, primaryMetric);
  const fractions = [...new Set(curves.flatMap((c) => c.points.map((p) => p.fraction)))].sort((a, b) => a - b);
  const curveTable = table(
    ['encoder', ...fractions.map((f) => `${f}%`)],
    curves.map((c) => [seriesName(c, curves), ...fractions.map((f) => {
      const p = c.points.find((q) => q.fraction === f);
      return p ? curvePointText(p) : '–';
    })]),
  );
  const rowTable = table(
    ['encoder', 'mode', 'fraction %', 'seed', 'train images', 'test images', 'status', ...metrics, 'seconds', 'note'],
    rows.map((r) => [r.encoder, r.mode, String(r.fraction), String(r.seed), String(r.trainImages), String(r.testImages), r.status, ...metrics.map((m) => num(r.metrics[m])), r.seconds.toFixed(1), r.note ?? '']),
  );
  const settings = {
    fractions: config.fractions,
    seeds: config.seeds,
    modes: config.modes,
    inputSize: config.inputSize,
    linearEpochs: config.linearEpochs,
    linearLearningRate: config.linearLearningRate,
    epochs: config.epochs,
    minSteps: config.minSteps,
    learningRate: config.learningRate,
    batchSize: config.batchSize,
    backend: input.backend,
  };
  const cards = input.modelCards
    .map((m) => `<h3>${escapeHtml(m.label)}</h3><pre>${escapeHtml(JSON.stringify(m.card, null, 2) ?? 'none')}</pre>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(config.name)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}
table{border-collapse:collapse;font-size:13px;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 7px;text-align:right}
th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}pre{background:#f7f7f7;padding:8px;font-size:12px;overflow:auto}
</style></head><body>
<h1>${escapeHtml(config.name)}</h1>
<p>Label-efficiency study, ${escapeHtml(input.createdAt)}; ${rows.length} trained-and-scored combinations in ${input.seconds.toFixed(0)} s.</p>
<h2>Downstream task</h2>
<p><b>${escapeHtml(config.task.name)}</b> (${escapeHtml(config.task.kind)}): ${escapeHtml(input.taskDescription)}.<br>
Classes: ${escapeHtml(input.classNames.join(', '))}. Subsets are nested, class-stratified and group-aware; the test split is fixed and never trained on.</p>
<h2>Labels saved</h2>
${savingsSection(input.savings, primaryMetric)}
<h2>Plot: ${escapeHtml(metricLabel(primaryMetric))} on the test split</h2>
${input.svg}
<h2>Mean ± sd over seeds</h2>
${curveTable}
<h2>Settings</h2>
<pre>${escapeHtml(JSON.stringify(settings, null, 2))}</pre>
<h2>All results</h2>
${rowTable}
<h2>Encoders and model cards</h2>
${cards}
</body></html>
`;
}
