import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { decode } from 'fast-png';
import { loadDatasetSamples } from '../../../main/catalog/datasetSamples';
import { renderImageMask } from '../../../main/catalog/catalogPreview';
import { importHere, reportOf } from './importHere';
import { maskPngBytes, writeFile, writePng } from './generatedFixtures';
import { importWorkspaces } from './importWorkspace';

const setup = importWorkspaces();

describe('paired image/mask folders', () => {
  it('pairs by stem, infers classes from mask values, stores masks and refuses a mask of the wrong size', async () => {
    const { root, catalog } = setup();
    for (let i = 0; i < 5; i++) {
      writePng(path.join(root, `images/${i}.png`), { width: 16, height: 12, seed: i });
      writeFile(path.join(root, `masks/${i}.png`), maskPngBytes(16, 12, 0, i % 2 ? 255 : 128));
    }
    writePng(path.join(root, 'images/big.png'), { width: 16, height: 12, seed: 77 });
    writeFile(path.join(root, 'masks/big.png'), maskPngBytes(20, 12, 0, 255));
    writePng(path.join(root, 'images/lonely.png'), { seed: 78 });
    const result = await importHere(catalog, { path: root });
    expect(result.counts).toEqual({ imported: 5, duplicate: 0, skipped: 2 });
    expect(reportOf(result, 'images/big.png').reason).toBe('mask masks/big.png is 20x12 but the image is 16x12');
    expect(reportOf(result, 'images/lonely.png').reason).toMatch(/no mask with the stem "lonely"/);
    const dataset = catalog.getDataset(result.datasetId)!;
    expect(dataset.kind).toBe('segmentation');
    expect(dataset.classes.map((c) => c.name)).toEqual(['0', '128', '255']);
    const image = catalog.imagesWithAnnotations(result.datasetId).find((i) => i.sourcePath === 'images/1.png')!;
    expect(image.mask).toMatchObject({ width: 16, height: 12, sourcePath: 'masks/1.png' });
    expect(image.mask!.classMap).toEqual([
      { value: 0, classId: 0 },
      { value: 128, classId: 1 },
      { value: 255, classId: 2 },
    ]);
    // filter by class uses the classes present in each mask
    expect(catalog.listImages({ datasetId: result.datasetId, classId: 2 }).total).toBe(2);
    const samples = [];
    for await (const s of loadDatasetSamples(catalog, result.datasetId)) samples.push(s);
    const one = samples.find((s) => s.imageId === image.id)!;
    expect(one.mask!.data[0]).toBe(0);
    expect(one.mask!.data[15]).toBe(2);
    const png = decode(await renderImageMask(catalog, image.id));
    expect([png.width, png.height, png.channels, png.depth]).toEqual([16, 12, 1, 8]);
    expect(png.data[0]).toBe(0);
    expect(png.data[15]).toBe(2);
  });

  it('uses a published class map and refuses values it does not name', async () => {
    const { root, catalog } = setup();
    writePng(path.join(root, 'image/a.png'), { seed: 1 });
    writeFile(path.join(root, 'label/a.png'), maskPngBytes(16, 12, 0, 1));
    writePng(path.join(root, 'image/b.png'), { seed: 2 });
    writeFile(path.join(root, 'label/b.png'), maskPngBytes(16, 12, 0, 7));
    writeFile(path.join(root, 'classes.json'), JSON.stringify({ 0: 'background', 1: 'nucleus' }));
    const result = await importHere(catalog, { path: root });
    expect(catalog.getDataset(result.datasetId)!.classes.map((c) => c.name)).toEqual(['background', 'nucleus']);
    expect(result.counts.imported).toBe(1);
    expect(reportOf(result, 'image/b.png').reason).toMatch(/label\/b\.png: mask value 7 is not in the class map/);
  });
});

describe('nnU-Net / Decathlon raw layout', () => {
  it('imports imagesTr with labelsTr (train, val carved), imagesTs as test, labels from dataset.json, extra channels reported', async () => {
    const { root, catalog } = setup();
    writeFile(path.join(root, 'dataset.json'), JSON.stringify({ channel_names: { 0: 'CT', 1: 'PET' }, labels: { background: 0, liver: 1, tumour: 2 }, file_ending: '.png' }));
    for (let i = 0; i < 8; i++) {
      writePng(path.join(root, `imagesTr/case${i}_0000.png`), { seed: i });
      writePng(path.join(root, `imagesTr/case${i}_0001.png`), { seed: 100 + i });
      writeFile(path.join(root, `labelsTr/case${i}.png`), maskPngBytes(16, 12, 0, i % 3));
    }
    writePng(path.join(root, 'imagesTs/new0_0000.png'), { seed: 200 });
    writePng(path.join(root, 'imagesTr/nolabel_0000.png'), { seed: 300 });
    const result = await importHere(catalog, { path: root });
    const dataset = catalog.getDataset(result.datasetId)!;
    expect(dataset.format).toBe('nnunet');
    expect(dataset.classes.map((c) => c.name)).toEqual(['background', 'liver', 'tumour']);
    expect(result.counts.imported).toBe(9);
    expect(reportOf(result, 'imagesTr/case3_0001.png').reason).toBe('channel 1 of case case3: only channel 0 is imported');
    expect(reportOf(result, 'imagesTr/nolabel_0000.png').reason).toMatch(/no label volume labelsTr\/nolabel/);
    expect(dataset.splitCounts.test).toBe(1);
    expect(dataset.splitCounts.train + dataset.splitCounts.val).toBe(8);
    expect(dataset.splitCounts.val).toBeGreaterThan(0);
    const test = catalog.imagesWithAnnotations(result.datasetId, 'test');
    expect(test[0]!.sourcePath).toBe('imagesTs/new0_0000.png');
    expect(test[0]!.mask).toBeNull();
  });
});
