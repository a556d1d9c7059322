import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { loadDatasetSamples, datasetClasses } from '../../../main/catalog/datasetSamples';
import { importHere, reportOf } from './importHere';
import { medmnistNpz, pngBytes, writeFile, writePng } from './generatedFixtures';
import { importWorkspaces } from './importWorkspace';

const setup = importWorkspaces();

describe('ImageFolder import', () => {
  it("keeps the publisher's train/test folders, carves val from train, labels by folder", async () => {
    const { root, catalog } = setup();
    for (let i = 0; i < 20; i++) writePng(path.join(root, `train/${i % 2 ? 'benign' : 'malignant'}/${i}.png`), { seed: i });
    for (let i = 0; i < 4; i++) writePng(path.join(root, `test/${i % 2 ? 'benign' : 'malignant'}/t${i}.png`), { seed: 100 + i });
    const result = await importHere(catalog, { path: root });
    expect(result.counts).toEqual({ imported: 24, duplicate: 0, skipped: 0 });
    const dataset = catalog.getDataset(result.datasetId)!;
    expect(dataset.format).toBe('image-folder');
    expect(dataset.classes.map((c) => c.name)).toEqual(['benign', 'malignant']);
    expect(dataset.splitCounts.test).toBe(4);
    expect(dataset.splitCounts.val).toBeGreaterThan(0);
    expect(dataset.splitCounts.train + dataset.splitCounts.val).toBe(20);
    const test = catalog.listImages({ datasetId: result.datasetId, split: 'test' }).items;
    expect(test.map((i) => i.sourcePath).sort()).toEqual(['test/benign/t1.png', 'test/benign/t3.png', 'test/malignant/t0.png', 'test/malignant/t2.png']);
    const detail = catalog.getImage(test.find((i) => i.sourcePath === 'test/benign/t1.png')!.id)!;
    expect(detail.labels).toEqual([0]);
  });
});

describe('CSV import', () => {
  it('reads path,label,split,group with multi-label a|b and reports missing files and escaping paths', async () => {
    const { root, catalog } = setup();
    for (let i = 0; i < 6; i++) writePng(path.join(root, `img/${i}.png`), { seed: i });
    writeFile(path.join(root, '..', 'outside.png'), pngBytes({ seed: 50 }));
    writeFile(
      path.join(root, 'labels.csv'),
      ['path,label,split,group', 'img/0.png,effusion|nodule,train,p1', 'img/1.png,nodule,train,p1', 'img/2.png,effusion,val,p2', 'img/3.png,normal,test,p3', 'img/4.png,normal,,p4', 'img/5.png,nodule,,p4', 'img/missing.png,normal,train,p5', '../outside.png,normal,train,p6'].join(
        '\n',
      ),
    );
    const result = await importHere(catalog, { path: root });
    expect(result.counts).toEqual({ imported: 6, duplicate: 0, skipped: 2 });
    // reported by its CSV line: the path cell is the file's content, never echoed
    expect(reportOf(result, 'labels.csv:8').reason).toBe('its path column names a missing file');
    expect(reportOf(result, 'labels.csv:9').reason).toMatch(/escapes the dataset root/);
    const dataset = catalog.getDataset(result.datasetId)!;
    expect(dataset.multiLabel).toBe(true);
    expect(dataset.classes.map((c) => c.name)).toEqual(['effusion', 'nodule', 'normal']);
    const images = catalog.imagesWithAnnotations(result.datasetId);
    const byPath = new Map(images.map((i) => [i.sourcePath, i]));
    expect(byPath.get('img/0.png')!.labels).toEqual([0, 1]);
    expect(byPath.get('img/0.png')!.split).toBe('train');
    expect(byPath.get('img/2.png')!.split).toBe('val');
    expect(byPath.get('img/3.png')!.split).toBe('test');
    expect(byPath.get('img/0.png')!.group).toBe('p1');
    // rows without a split get a generated one, group-aware: p4's two images together
    expect(byPath.get('img/4.png')!.split).toBe(byPath.get('img/5.png')!.split);
  });
});

describe('generated splits at import', () => {
  it('keep every group in one split (CSV with random groups)', async () => {
    const { root, catalog } = setup();
    const rows = ['path,label,patient'];
    let state = 12345;
    const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 120; i++) {
      writePng(path.join(root, `img/${i}.png`), { seed: i });
      rows.push(`img/${i}.png,${random() < 0.3 ? 'tumour' : 'normal'},p${Math.floor(random() * 25)}`);
    }
    writeFile(path.join(root, 'labels.csv'), rows.join('\n'));
    const result = await importHere(catalog, { path: root, options: { seed: 9 } });
    expect(result.counts.imported).toBe(120);
    const splitsOfGroup = new Map<string, Set<string>>();
    for (const image of catalog.imagesWithAnnotations(result.datasetId)) splitsOfGroup.set(image.group!, (splitsOfGroup.get(image.group!) ?? new Set()).add(image.split));
    expect(splitsOfGroup.size).toBeGreaterThan(15);
    for (const [group, splits] of splitsOfGroup) expect(splits.size, group).toBe(1);
    const counts = catalog.getDataset(result.datasetId)!.splitCounts;
    expect(counts.train).toBeGreaterThan(counts.val);
    expect(counts.val).toBeGreaterThan(0);
    expect(counts.test).toBeGreaterThan(0);
  });
});

describe('MedMNIST import', () => {
  it('stores each sample as a PNG with its label and keeps the train/val/test arrays as splits', async () => {
    const { root, catalog } = setup();
    const npz = writeFile(path.join(root, 'retinamnist.npz'), medmnistNpz({ train: 12, val: 3, test: 5 }, 5));
    const result = await importHere(catalog, { path: npz });
    expect(result.counts.imported).toBe(20);
    const dataset = catalog.getDataset(result.datasetId)!;
    expect(dataset.splitCounts).toEqual({ train: 12, val: 3, test: 5 });
    expect(dataset.publisherSplit).toBe(true);
    expect(datasetClasses(catalog, result.datasetId).map((c) => c.name)).toEqual(['0', '1', '2', '3', '4']);
    const samples = [];
    for await (const s of loadDatasetSamples(catalog, result.datasetId, { split: 'val' })) samples.push(s);
    expect(samples).toHaveLength(3);
    expect(samples[0]!.decoded.width).toBe(8);
    expect(samples[0]!.decoded.channels).toBe(3);
    expect(samples.map((s) => s.labels)).toEqual([[0], [1], [2]]);
    // pixels survive the PNG round trip exactly
    const first = samples[0]!.decoded.data;
    expect(first[0]).toBe((0 * 7 + 3) % 256);
    expect(first[5]).toBe((5 * 7 + 3) % 256);
  });
});
