/**
 * npm run bench -- importMemory: peak memory and wall time of `umedpt import` of a COCO file with a
 * million annotations (10,000 images listed, 20 present), the CLI and its import worker together
 * (GNU time's maxrss; the section says so when /usr/bin/time is missing).
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encode } from 'fast-png';
import type { BenchSectionResult } from './index';
import { writeManyAnnotationCoco } from '../fixtures/cocoMillion';
import { runCli } from '../integration/robustness/cliProcess';

const annotationCount = 1_000_000;
const imageCount = 10_000;
const present = 20;

export async function run(): Promise<BenchSectionResult> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'umedpt-bench-import-memory-'));
  const loadBefore = os.loadavg()[0]!;
  try {
    const root = path.join(work, 'coco');
    mkdirSync(path.join(root, 'images'), { recursive: true });
    for (let i = 0; i < present; i++) writeFileSync(path.join(root, 'images', `im${i}.png`), encode({ width: 16, height: 16, channels: 1, depth: 8, data: new Uint8Array(256).map((_, j) => (j * 7 + i * 13) % 256) }));
    const file = path.join(root, 'annotations.json');
    writeManyAnnotationCoco(file, imageCount, annotationCount);
    const result = await runCli(['import', root], { UMEDPT_HOME: path.join(work, 'home') }, 600_000);
    if (result.code !== 0 || !/completed; 20 imported/.test(result.output)) throw new Error(`the import did not complete:\n${result.output.slice(-2000)}`);
    const json = {
      coco_annotations: annotationCount,
      coco_file_mb: Math.round(statSync(file).size / 2 ** 20),
      import_peak_rss_mb: result.peakMb,
      import_seconds: Math.round(result.ms / 100) / 10,
      load_average_1m_before: Math.round(loadBefore * 100) / 100,
      load_average_1m_after: Math.round(os.loadavg()[0]! * 100) / 100,
    };
    const table: BenchSectionResult['table'] = [
      { measure: `umedpt import, COCO with ${annotationCount.toLocaleString('en')} annotations (${json.coco_file_mb} MB)`, value: json.import_peak_rss_mb ?? 'no /usr/bin/time', unit: 'MB peak RSS', target: '< 1024' },
      { measure: 'its wall time', value: json.import_seconds, unit: 's', target: '' },
      { measure: 'load average (1 min) before/after', value: `${json.load_average_1m_before} / ${json.load_average_1m_after}`, unit: '', target: '' },
    ];
    return { json, table };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
