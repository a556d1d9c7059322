// Markdown tables of the leave-one-task-out studies: for each held-out task,
// fractions x (encoder, mode) with mean ± sd [min-max] over seeds, and the savings.
// A study that did not finish is tabulated from the rows it wrote (<task>/rows.jsonl,
// copied from its study folder, next to <task>/study.json), marked partial, without savings.
// usage: node docs/studies/loto-table.mjs <folder holding <task>/results.json>
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = process.argv[2];
if (!root || !existsSync(root)) {
  process.stderr.write('usage: node loto-table.mjs <folder>\n');
  process.exit(2);
}
const f3 = (x) => (Number.isFinite(x) ? x.toFixed(3) : '–');
const primaryMetricOf = { classification: 'balancedAccuracy', segmentation: 'meanDice', detection: 'map50' };

/** results.json's shape from the rows of an unfinished study: curves by (encoder, mode), sd with n - 1 as the study does. */
function partialResults(dir) {
  const config = JSON.parse(readFileSync(path.join(dir, 'study.json'), 'utf8'));
  const metric = primaryMetricOf[config.task.kind];
  const rows = readFileSync(path.join(dir, 'rows.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const groups = new Map();
  for (const r of rows) {
    if (r.status !== 'ok') continue;
    const key = `${r.encoder}\u0000${r.mode}`;
    if (!groups.has(key)) groups.set(key, { encoder: r.encoder, mode: r.mode, byFraction: new Map() });
    const g = groups.get(key);
    if (!g.byFraction.has(r.fraction)) g.byFraction.set(r.fraction, []);
    g.byFraction.get(r.fraction).push(r.metrics[metric]);
  }
  const curves = [...groups.values()].map((g) => ({
    encoder: g.encoder,
    mode: g.mode,
    points: [...g.byFraction.entries()].map(([fraction, v]) => {
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
      return { fraction, mean, sd, min: Math.min(...v), max: Math.max(...v), seeds: v.length };
    }),
  }));
  return { primaryMetric: `${metric}, PARTIAL: ${rows.length} of ${config.fractions.length * config.seeds * config.modes.length * config.encoders.length} rows`, rows, curves, savings: [], config };
}
for (const task of readdirSync(root).sort()) {
  const file = path.join(root, task, 'results.json');
  const partial = !existsSync(file) && existsSync(path.join(root, task, 'rows.jsonl'));
  if (!existsSync(file) && !partial) continue;
  const results = partial ? partialResults(path.join(root, task)) : JSON.parse(readFileSync(file, 'utf8'));
  const curves = results.curves;
  const fractions = [...new Set(curves.flatMap((c) => c.points.map((p) => p.fraction)))].sort((a, b) => a - b);
  const images = new Map();
  for (const row of results.rows) if (row.seed === 0 && !images.has(row.fraction)) images.set(row.fraction, row.trainImages);
  process.stdout.write(`\n#### ${results.config.task.name} held out (${results.primaryMetric}, ${results.rows[0]?.testImages ?? '?'} test images)\n\n`);
  process.stdout.write(`| encoder | mode | ${fractions.map((f) => `${f} % (${images.get(f) ?? '?'})`).join(' | ')} |\n`);
  process.stdout.write(`| --- | --- | ${fractions.map(() => '---').join(' | ')} |\n`);
  for (const c of curves) {
    const cells = fractions.map((f) => {
      const p = c.points.find((q) => q.fraction === f);
      if (!p) return partial ? 'not run' : 'too small';
      return p.seeds > 1 ? `${f3(p.mean)} ± ${f3(p.sd)} [${f3(p.min)}–${f3(p.max)}]` : `${f3(p.mean)} (1 seed)`;
    });
    process.stdout.write(`| ${c.encoder} | ${c.mode} | ${cells.join(' | ')} |\n`);
  }
  process.stdout.write('\n');
  for (const s of results.savings) process.stdout.write(`- ${s.mode}: ${s.statement}\n`);
}
