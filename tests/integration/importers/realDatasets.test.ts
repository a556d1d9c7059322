/**
 * Imports each real dataset in /work/shared/datasets (skipped, with the
 * reason printed, where the folder is absent) and checks the counts against
 * the files actually there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { openCatalog, type Catalog } from '../../../main/catalog/openCatalog';
import { listFilesRecursive } from '../../../main/importers/fileWalk';
import { importHere } from '../../unit/importers/importHere';
import { tempDir } from '../../unit/importers/generatedFixtures';

const datasets = process.env.UMEDPT_DATASETS ?? '/work/shared/datasets';
let catalog: Catalog;
let cleanup: () => void;

beforeAll(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  catalog = openCatalog(t.dir);
});
afterAll(() => {
  catalog.close();
  cleanup();
});

function present(name: string): boolean {
  const ok = existsSync(path.join(datasets, name));
  if (!ok) console.log(`skipping ${name}: ${path.join(datasets, name)} is absent (real datasets live outside the repository)`);
  return ok;
}

describe('real datasets', () => {
  it.runIf(present('bccd'))('BCCD: 364 VOC images with boxes of 3 classes and the VOC splits', async () => {
    const root = path.join(datasets, 'bccd', 'BCCD');
    const result = await importHere(catalog, { path: path.join(datasets, 'bccd') });
    const skipped = result.files.filter((f) => f.status === 'skipped');
    for (const f of skipped) console.log(`BCCD skipped ${f.path}: ${f.reason}`);
    const warned = result.files.filter((f) => f.warnings?.length);
    for (const f of warned) console.log(`BCCD ${f.path}: ${f.warnings!.join('; ')}`);
    const jpegs = readdirSync(path.join(root, 'JPEGImages')).length;
    const xmls = readdirSync(path.join(root, 'Annotations')).length;
    expect(jpegs).toBe(364);
    expect(xmls).toBe(364);
    expect(result.counts.imported).toBe(364);
    const dataset = catalog.getDataset(result.datasetId)!;
    expect(dataset.format).toBe('voc');
    expect(dataset.classes.map((c) => c.name)).toEqual(['Platelets', 'RBC', 'WBC']);
    expect(dataset.publisherSplit).toBe(true);
    const lines = (f: string) => readFileSync(path.join(root, 'ImageSets/Main', f), 'utf8').split('\n').filter((l) => l.trim()).length;
    expect(dataset.splitCounts).toEqual({ train: lines('train.txt'), val: lines('val.txt'), test: lines('test.txt') });
    const stats = catalog.statistics(result.datasetId)!;
    const boxes = stats.classCounts.map((c) => c.boxes.train + c.boxes.val + c.boxes.test);
    expect(boxes.every((n) => n > 0)).toBe(true);
    // every <object> in the XML files is a box or a reported drop
    const objects = readdirSync(path.join(root, 'Annotations')).reduce((n, f) => n + (readFileSync(path.join(root, 'Annotations', f), 'utf8').match(/<object>/g)?.length ?? 0), 0);
    const dropped = warned.reduce((n, f) => n + f.warnings!.filter((w) => w.endsWith('dropped')).length, 0);
    expect(boxes.reduce((a, b) => a + b, 0) + dropped).toBe(objects);
  });

  it.runIf(present('isbi2012-em'))('ISBI 2012 EM: 30 image/mask pairs, 512x512, two classes', async () => {
    const result = await importHere(catalog, { path: path.join(datasets, 'isbi2012-em') });
    expect(result.counts).toEqual({ imported: 30, duplicate: 0, skipped: 0 });
    const dataset = catalog.getDataset(result.datasetId)!;
    expect(dataset.kind).toBe('segmentation');
    expect(dataset.classes.map((c) => c.name)).toEqual(['0', '255']);
    const images = catalog.imagesWithAnnotations(result.datasetId);
    expect(images.every((i) => i.width === 512 && i.height === 512 && i.mask?.width === 512)).toBe(true);
  });

  it.runIf(present('retinamnist'))('RetinaMNIST: 1080/120/400 with 5 classes', async () => {
    const result = await importHere(catalog, { path: path.join(datasets, 'retinamnist') });
    const dataset = catalog.getDataset(result.datasetId)!;
    for (const f of result.files.filter((f) => f.status !== 'imported')) console.log(`RetinaMNIST ${f.status} ${f.path}: ${f.reason}`);
    expect(result.counts).toEqual({ imported: 1600, duplicate: 0, skipped: 0 });
    expect(dataset.splitCounts).toEqual({ train: 1080, val: 120, test: 400 });
    expect(dataset.classes.map((c) => c.name)).toEqual(['0', '1', '2', '3', '4']);
    expect(dataset.publisherSplit).toBe(true);
  });

  for (const name of ['dicom-samples', 'nifti-samples']) {
    it.runIf(present(name))(`${name}: every file imported or skipped with a stated reason`, async () => {
      const root = path.join(datasets, name);
      const result = await importHere(catalog, { path: root });
      const files = listFilesRecursive(root);
      expect(result.files.map((f) => f.path).sort()).toEqual([...files].sort());
      for (const f of result.files) {
        if (f.status !== 'imported') expect(f.reason, f.path).toMatch(/\S{3}/);
        console.log(`${name} ${f.status.padEnd(9)} ${f.path}${f.images ? ` (${f.images} images)` : ''}${f.reason ? `: ${f.reason}` : ''}`);
      }
      const imported = result.files.filter((f) => f.status === 'imported');
      expect(imported.length).toBeGreaterThan(0);
      const dataset = catalog.getDataset(result.datasetId)!;
      expect(dataset.imageCount).toBe(imported.reduce((n, f) => n + f.images!, 0));
    });
  }
});
