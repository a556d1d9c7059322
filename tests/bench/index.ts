/**
 * npm run bench [-- section ...]: runs every tests/bench/<section>.bench.ts
 * (or the named ones), prints each section's table and JSON, and writes
 * bench-results/<section>.json.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BenchSectionResult {
  /** flat JSON written to bench-results/<section>.json */
  json: Record<string, unknown>;
  /** human table rows */
  table: Array<Record<string, string | number>>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.resolve(here, '..', '..', 'bench-results');

async function main(): Promise<void> {
  const available = readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => f.replace(/\.bench\.ts$/, ''))
    .sort();
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((w) => !available.includes(w));
  if (unknown.length) {
    console.error(`unknown bench section(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
    process.exit(2);
  }
  const sections = wanted.length ? wanted : available;
  mkdirSync(outDir, { recursive: true });
  for (const section of sections) {
    const mod = (await import(path.join(here, `${section}.bench.ts`))) as { run: () => Promise<BenchSectionResult> };
    console.log(`\n== bench: ${section} ==`);
    const result = await mod.run();
    console.table(result.table);
    const json = { section, date: new Date().toISOString(), node: process.versions.node, cpus: (await import('node:os')).cpus().length, ...result.json };
    console.log(JSON.stringify(json, null, 2));
    writeFileSync(path.join(outDir, `${section}.json`), JSON.stringify(json, null, 2) + '\n');
  }
}

await main();
// Engines (wasm worker threads, tfjs handles) may keep the event loop alive after the last section.
process.exit(0);
