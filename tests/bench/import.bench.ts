/**
 * npm run bench -- import: import throughput (files/s) for folders of 1,000
 * generated 256x256 PNG and 16-bit DICOM files, and catalog/listImages
 * latency (p50/p95) on a catalog of 100,000 images.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encode } from 'fast-png';
import type { BenchSectionResult } from './index';
import { openCatalog, type Catalog } from '../../main/catalog/openCatalog';
import { SeededRandom } from '../../shared/seededRandom';
import { buildImportPlan } from '../../main/importers/buildImportPlan';
import { datasetForPlan, runImport } from '../../main/importers/importRunner';
import { importOptionsSchema } from '../../shared/api/import';
import { transferSyntax, writeDicom } from '../fixtures/pixels/dicomWriter';
import type { SplitName } from '../../shared/api/catalog';
import { fillLargeCatalog, percentile } from '../fixtures/largeCatalog';

const fileCount = 1000;
const side = 256;
const catalogImages = 100_000;

/** Smooth gradient plus noise: compresses like a real grey image, not like a constant one. */
function samples(seed: number, depth: 8 | 16): Uint8Array | Uint16Array {
  const generator = SeededRandom.fromState(seed);
  const random = (): number => generator.next();
  const out = depth === 16 ? new Uint16Array(side * side) : new Uint8Array(side * side);
  const max = depth === 16 ? 4095 : 255;
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) out[y * side + x] = Math.min(max, Math.round(((x + y) / (2 * side)) * max * 0.8 + random() * max * 0.2));
  return out;
}

/** CPU seconds of this process (all threads): what the work costs when the cores are shared with others. */
function cpuSeconds(since?: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

async function timeImport(folder: string, dataDir: string): Promise<{ seconds: number; cpuSeconds: number; imported: number }> {
  const catalog = openCatalog(dataDir);
  try {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const options = importOptionsSchema.parse({});
    const plan = await buildImportPlan({ path: folder, format: 'images' });
    const { datasetId } = datasetForPlan(catalog, plan, options);
    const result = await runImport(catalog, plan, datasetId, options);
    return { seconds: (performance.now() - start) / 1000, cpuSeconds: cpuSeconds(cpuStart), imported: result.counts.imported };
  } finally {
    catalog.close();
  }
}

function fillCatalog(catalog: Catalog): number {
  // rows only: listImages never reads the stored files
  return fillLargeCatalog(catalog, { name: 'bench', count: catalogImages, side: 256, file: (i) => ({ sha256: i.toString(16).padStart(64, '0'), size: 1, ext: '.png' }) });
}

export async function run(): Promise<BenchSectionResult> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'umedpt-bench-import-'));
  const loadBefore = os.loadavg()[0]!;
  try {
    const pngDir = path.join(work, 'png');
    const dicomDir = path.join(work, 'dicom');
    mkdirSync(pngDir, { recursive: true });
    mkdirSync(dicomDir, { recursive: true });
    for (let i = 0; i < fileCount; i++) {
      writeFileSync(path.join(pngDir, `${i}.png`), encode({ width: side, height: side, channels: 1, depth: 8, data: samples(i, 8) }));
      const dicom = writeDicom({ rows: side, columns: side, bitsAllocated: 16, bitsStored: 12, modality: 'CT', patientId: `P${i % 50}` }, transferSyntax.explicitLittle, { native: samples(i, 16) as Uint16Array });
      writeFileSync(path.join(dicomDir, `${i}.dcm`), dicom);
    }
    const png = await timeImport(pngDir, path.join(work, 'data-png'));
    const dicom = await timeImport(dicomDir, path.join(work, 'data-dicom'));

    const catalog = openCatalog(path.join(work, 'data-list'));
    let fillSeconds: number;
    const latencies: Record<string, number[]> = { firstPage: [], keysetPage: [], splitFilter: [], classFilter: [], groupFilter: [] };
    const cpuLatencies: number[] = [];
    const gridPageLatencies: number[] = [];
    try {
      const fillStart = performance.now();
      const datasetId = fillCatalog(catalog);
      fillSeconds = (performance.now() - fillStart) / 1000;
      const generator = SeededRandom.fromState(7);
      const random = (): number => generator.next();
      const splitNames: SplitName[] = ['train', 'val', 'test'];
      const queries: Array<[keyof typeof latencies, () => unknown]> = [
        ['firstPage', () => catalog.listImages({ datasetId, limit: 100 })],
        ['keysetPage', () => catalog.listImages({ datasetId, limit: 100, after: Math.floor(random() * catalogImages) })],
        ['splitFilter', () => catalog.listImages({ datasetId, limit: 100, split: splitNames[Math.floor(random() * 3)]!, after: Math.floor(random() * catalogImages) })],
        ['classFilter', () => catalog.listImages({ datasetId, limit: 100, classId: Math.floor(random() * 5), after: Math.floor(random() * catalogImages * 0.9) })],
        ['groupFilter', () => catalog.listImages({ datasetId, limit: 100, group: `patient${Math.floor(random() * 5000)}` })],
      ];
      for (let round = 0; round < 200; round++) {
        for (const [name, query] of queries) {
          const cpuStart = process.cpuUsage();
          const start = performance.now();
          query();
          latencies[name]!.push(performance.now() - start);
          cpuLatencies.push(cpuSeconds(cpuStart) * 1000);
        }
      }
      // the thumbnail grid's page: 500 images at any position (offset paging)
      for (let round = 0; round < 200; round++) {
        const start = performance.now();
        catalog.listImages({ datasetId, limit: 500, offset: Math.floor(random() * (catalogImages - 500)) });
        gridPageLatencies.push(performance.now() - start);
      }
    } finally {
      catalog.close();
    }
    const all = Object.values(latencies).flat().sort((a, b) => a - b);
    const cpuSorted = cpuLatencies.sort((a, b) => a - b);
    const round2 = (v: number) => Math.round(v * 100) / 100;
    const json: Record<string, unknown> = {
      png_files_per_s: round2(png.imported / png.seconds),
      dicom_files_per_s: round2(dicom.imported / dicom.seconds),
      png_imported: png.imported,
      dicom_imported: dicom.imported,
      list_images_p50_ms: round2(percentile(all, 50)),
      list_images_p95_ms: round2(percentile(all, 95)),
      list_images_catalog_size: catalogImages,
      list_images_queries: all.length,
      catalog_fill_seconds: round2(fillSeconds),
      // the machine is shared: CPU-time figures show the cost without other processes' load
      png_files_per_cpu_s: round2(png.imported / png.cpuSeconds),
      dicom_files_per_cpu_s: round2(dicom.imported / dicom.cpuSeconds),
      list_images_cpu_p50_ms: round2(percentile(cpuSorted, 50)),
      list_images_cpu_p95_ms: round2(percentile(cpuSorted, 95)),
      load_average_1m_before: round2(loadBefore),
      load_average_1m_after: round2(os.loadavg()[0]!),
    };
    const table: BenchSectionResult['table'] = [
      { measure: `import ${fileCount} PNG ${side}x${side} 8-bit`, value: json.png_files_per_s as number, unit: 'files/s', target: '>= 200' },
      { measure: `import ${fileCount} DICOM ${side}x${side} 16-bit`, value: json.dicom_files_per_s as number, unit: 'files/s', target: '' },
      { measure: `listImages p50 (${catalogImages} images)`, value: json.list_images_p50_ms as number, unit: 'ms', target: '' },
      { measure: `listImages p95 (${catalogImages} images)`, value: json.list_images_p95_ms as number, unit: 'ms', target: '< 20' },
      { measure: 'import PNG per CPU second', value: json.png_files_per_cpu_s as number, unit: 'files/cpu-s', target: '' },
      { measure: 'import DICOM per CPU second', value: json.dicom_files_per_cpu_s as number, unit: 'files/cpu-s', target: '' },
      { measure: 'listImages CPU time p50/p95', value: `${json.list_images_cpu_p50_ms} / ${json.list_images_cpu_p95_ms}`, unit: 'ms', target: '' },
      { measure: 'load average (1 min) before/after', value: `${json.load_average_1m_before} / ${json.load_average_1m_after}`, unit: '', target: '' },
    ];
    const gridSorted = [...gridPageLatencies].sort((a, b) => a - b);
    json.list_images_grid_page_p50_ms = round2(percentile(gridSorted, 50));
    json.list_images_grid_page_p95_ms = round2(percentile(gridSorted, 95));
    table.push({ measure: 'listImages 500 at a random offset (grid page) p50/p95', value: `${json.list_images_grid_page_p50_ms} / ${json.list_images_grid_page_p95_ms}`, unit: 'ms', target: '' });
    for (const [name, values] of Object.entries(latencies)) {
      const sorted = [...values].sort((a, b) => a - b);
      json[`list_images_${name}_p95_ms`] = round2(percentile(sorted, 95));
      table.push({ measure: `listImages ${name} p50/p95`, value: `${round2(percentile(sorted, 50))} / ${round2(percentile(sorted, 95))}`, unit: 'ms', target: '' });
    }
    return { json, table };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
