// Markdown tables of the leave-one-task-out studies: for each held-out task,
// fractions x (encoder, mode) with mean ± sd [min-max] over seeds, and the savings.
// usage: node docs/studies/loto-table.mjs <folder holding <task>/results.json>
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = process.argv[2];
if (!root || !existsSync(root)) {
  process.stderr.write('usage: node loto-table.mjs <folder>\n');
  process.exit(2);
}
const f3 = (x) => (Number.isFinite(x) ? x.toFixed(3) : '–');
for (const task of readdirSync(root).sort()) {
  const file = path.join(root, task, 'results.json');
  if (!existsSync(file)) continue;
  const results = JSON.parse(readFileSync(file, 'utf8'));
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
      if (!p) return 'too small';
      return p.seeds > 1 ? `${f3(p.mean)} ± ${f3(p.sd)} [${f3(p.min)}–${f3(p.max)}]` : `${f3(p.mean)} (1 seed)`;
    });
    process.stdout.write(`| ${c.encoder} | ${c.mode} | ${cells.join(' | ')} |\n`);
  }
  process.stdout.write('\n');
  for (const s of results.savings) process.stdout.write(`- ${s.mode}: ${s.statement}\n`);
}
