import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { decode, encode } from 'fast-png';
import { openCatalog, type Catalog } from '../../../main/catalog/openCatalog';
import { sha256Hex } from '../../../main/catalog/contentStore';
import { loadDatasetSamples } from '../../../main/catalog/datasetSamples';
import { renderImagePreview } from '../../../main/catalog/catalogPreview';
import { listFilesRecursive } from '../../../main/importers/fileWalk';
import { importHere, reportOf } from './importHere';
import { pngBytes, pngWithBrokenCrc, tempDir, writeFile, writePng } from './generatedFixtures';
import { transferSyntax, writeDicom } from '../../fixtures/pixels/dicomWriter';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function setup(): { root: string; dataDir: string; catalog: Catalog } {
  const t = tempDir();
  const dataDir = path.join(t.dir, 'data');
  const catalog = openCatalog(dataDir);
  cleanups.push(() => {
    catalog.close();
    t.cleanup();
  });
  return { root: path.join(t.dir, 'src'), dataDir, catalog };
}

function dicom16(patientId: string, seed: number, rows = 8, columns = 10): Uint8Array {
  const samples = new Uint16Array(rows * columns).map((_, i) => 1000 + ((i * 37 + seed * 101) % 3000));
  return writeDicom({ rows, columns, bitsAllocated: 16, bitsStored: 16, modality: 'CT', patientId, windowCenter: 2000, windowWidth: 2000 }, transferSyntax.explicitLittle, { native: samples });
}

describe('bad files are reported one by one and never stop the import', () => {
  it('a PNG with a broken CRC, a truncated DICOM and a non-image are skipped with reasons; good files import', async () => {
    const { root, catalog } = setup();
    writePng(path.join(root, 'good.png'), { seed: 1 });
    writeFile(path.join(root, 'broken.png'), pngWithBrokenCrc());
    const whole = dicom16('P1', 1);
    writeFile(path.join(root, 'whole.dcm'), whole);
    writeFile(path.join(root, 'truncated.dcm'), whole.subarray(0, whole.length - 60));
    writeFile(path.join(root, 'notes.txt'), 'not an image');
    const result = await importHere(catalog, { path: root, format: 'images' });
    expect(result.counts).toEqual({ imported: 2, duplicate: 0, skipped: 3 });
    expect(reportOf(result, 'broken.png').reason).toMatch(/IDAT chunk at byte \d+ has a bad CRC/);
    expect(reportOf(result, 'truncated.dcm').reason).toMatch(/DICOM file is truncated/);
    expect(reportOf(result, 'truncated.dcm').reason).not.toMatch(/^truncated\.dcm:/);
    expect(reportOf(result, 'notes.txt').reason).toMatch(/not a recognised image format/);
    // the catalog holds exactly the good files, and records every outcome
    expect(catalog.listImages({ datasetId: result.datasetId }).items.map((i) => i.sourcePath).sort()).toEqual(['good.png', 'whole.dcm']);
    const outcomes = catalog.db.prepare('SELECT source_path, status FROM import_files WHERE dataset_id = ? ORDER BY source_path').all(result.datasetId);
    expect(outcomes).toHaveLength(5);
  });
});

describe('pixels keep their depth', () => {
  it('a 16-bit PNG is stored byte for byte and decodes back to the same 16-bit samples', async () => {
    const { root, catalog } = setup();
    const original = pngBytes({ width: 12, height: 9, depth: 16, seed: 4 });
    writeFile(path.join(root, 'deep.png'), original);
    const result = await importHere(catalog, { path: root, format: 'images' });
    const image = catalog.listImages({ datasetId: result.datasetId }).items[0]!;
    expect(image.bitDepth).toBe(16);
    expect(image.sha256).toBe(sha256Hex(original));
    expect(Buffer.compare(Buffer.from(catalog.readFile(image.sha256)), Buffer.from(original))).toBe(0);
    const [sample] = await collect(loadDatasetSamples(catalog, result.datasetId));
    expect(sample!.decoded.data).toBeInstanceOf(Uint16Array);
    expect(Array.from(sample!.decoded.data.slice(0, 5))).toEqual(Array.from((decode(original).data as Uint16Array).slice(0, 5)));
  });

  it('16-bit DICOM keeps its depth and its patient as the group key; one patient never spans two splits', async () => {
    const { root, catalog } = setup();
    for (let i = 0; i < 24; i++) writeFile(path.join(root, `p${i % 6}/${i}.dcm`), dicom16(`PAT-${i % 6}`, i));
    const result = await importHere(catalog, { path: root, format: 'images' });
    expect(result.counts.imported).toBe(24);
    const images = catalog.listImages({ datasetId: result.datasetId, limit: 100 }).items;
    expect(images.every((i) => i.bitDepth === 16 && i.modality === 'CT')).toBe(true);
    const splitsOfPatient = new Map<string, Set<string>>();
    for (const i of images) splitsOfPatient.set(i.group!, (splitsOfPatient.get(i.group!) ?? new Set()).add(i.split));
    expect([...splitsOfPatient.keys()].sort()).toEqual(['PAT-0', 'PAT-1', 'PAT-2', 'PAT-3', 'PAT-4', 'PAT-5']);
    for (const [, splits] of splitsOfPatient) expect(splits.size).toBe(1);
    const [sample] = await collect(loadDatasetSamples(catalog, result.datasetId));
    expect(sample!.decoded.bitDepth).toBe(16);
  });
});

describe('content-addressed store', () => {
  it('stores identical files once, reports the duplicate, and survives the source folder being deleted', async () => {
    const { root, dataDir, catalog } = setup();
    const bytes = pngBytes({ seed: 3 });
    writeFile(path.join(root, 'a/x.png'), bytes);
    writeFile(path.join(root, 'b/copy-of-x.png'), bytes);
    writePng(path.join(root, 'b/y.png'), { seed: 5 });
    const first = await importHere(catalog, { path: root, format: 'images', name: 'first' });
    expect(first.counts).toEqual({ imported: 2, duplicate: 1, skipped: 0 });
    expect(reportOf(first, 'b/copy-of-x.png').reason).toBe('same content as a/x.png');
    // a second dataset from the same files adds rows but no stored files
    await importHere(catalog, { path: root, format: 'images', name: 'second' });
    expect(listFilesRecursive(path.join(dataDir, 'store'))).toHaveLength(2);
    rmSync(root, { recursive: true, force: true });
    const samples = await collect(loadDatasetSamples(catalog, first.datasetId));
    expect(samples).toHaveLength(2);
    const preview = decode(await renderImagePreview(catalog, { imageId: samples[0]!.imageId, maxSide: 8 }));
    expect(Math.max(preview.width, preview.height)).toBe(8);
  });
});

describe('previews', () => {
  it('window/level maps a 16-bit image to 8 bits, and previews are cached on disk', async () => {
    const { root, dataDir, catalog } = setup();
    const data = new Uint16Array(4 * 4).map((_, i) => (i < 8 ? 1000 : 3000));
    writeFile(path.join(root, 'deep.png'), encode({ width: 4, height: 4, channels: 1, depth: 16, data }));
    const result = await importHere(catalog, { path: root, format: 'images' });
    const imageId = catalog.listImages({ datasetId: result.datasetId }).items[0]!.id;
    const windowed = decode(await renderImagePreview(catalog, { imageId, maxSide: 4, windowCenter: 2000, windowWidth: 2000 }));
    expect(windowed.depth).toBe(8);
    expect(windowed.data[0]).toBe(0);
    expect(windowed.data[15]).toBe(255);
    const narrow = decode(await renderImagePreview(catalog, { imageId, maxSide: 4, windowCenter: 1000, windowWidth: 400 }));
    expect(narrow.data[0]).toBeGreaterThan(100);
    expect(narrow.data[0]).toBeLessThan(160);
    expect(narrow.data[15]).toBe(255);
    const cached = listFilesRecursive(path.join(dataDir, 'cache', 'previews'));
    expect(cached).toHaveLength(2);
    const again = await renderImagePreview(catalog, { imageId, maxSide: 4, windowCenter: 1000, windowWidth: 400 });
    expect(Buffer.compare(Buffer.from(again), readFileSync(path.join(dataDir, 'cache', 'previews', cached.find((c) => c.includes('w1000_400'))!)))).toBe(0);
  });
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
