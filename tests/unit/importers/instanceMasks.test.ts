/**
 * Instance label images (one id per object, 16-bit): imported as object vs
 * background with one box per instance, counted in the statistics; a mask
 * that cannot be read is skipped with its reason, the import goes on.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { encode } from 'fast-png';
import { instancesOfMask } from '../../../main/importers/instanceMasks';
import { buildImportPlan } from '../../../main/importers/buildImportPlan';
import { DatasetSampleReader } from '../../../main/catalog/datasetSamples';
import { importHere, reportOf } from './importHere';
import { maskPngBytes, writeFile, writePng } from './generatedFixtures';
import { importWorkspaces } from './importWorkspace';
import { instanceLabelPng } from './layoutFixtures';

const setup = importWorkspaces();

describe('instance label images', () => {
  it('reads a box per id and maps every id to object', () => {
    const values = new Uint16Array([0, 7, 7, 0, 0, 7, 0, 300, 0, 0, 0, 300]);
    const result = instancesOfMask({ width: 4, height: 3, values }, 'm.png');
    expect(result.boxes).toEqual([
      { id: 7, x: 1, y: 0, w: 2, h: 2 },
      { id: 300, x: 3, y: 1, w: 1, h: 2 },
    ]);
    expect(result.classMap).toEqual([
      { value: 0, classId: 0 },
      { value: 7, classId: 1 },
      { value: 300, classId: 1 },
    ]);
    expect(() => instancesOfMask({ width: 2, height: 1, values: new Int16Array([0, -3]) }, 'n.png')).toThrow(/n\.png: value -3 at pixel 1,0 is not an instance id/);
  });

  it('a 16-bit label image with 300 ids imports as instances: object mask, 300 boxes, counts in the statistics; an odd mask is skipped', async () => {
    const { root, catalog } = setup();
    const side = 54;
    const { png, boxes } = instanceLabelPng(300, side);
    writePng(path.join(root, 'images/cells1.png'), { width: side, height: side, seed: 1 });
    writeFile(path.join(root, 'masks/cells1.png'), png);
    writePng(path.join(root, 'images/cells2.png'), { width: side, height: side, seed: 2 });
    writeFile(path.join(root, 'masks/cells2.png'), instanceLabelPng(12, side).png);
    // a colour mask: not ids, skipped with the reason
    const colour = new Uint8Array(side * side * 3).map((_, i) => (i % 3 === 0 ? 200 : 10));
    writePng(path.join(root, 'images/odd.png'), { width: side, height: side, seed: 3 });
    writeFile(path.join(root, 'masks/odd.png'), encode({ width: side, height: side, channels: 3, depth: 8, data: colour }));
    const result = await importHere(catalog, { path: root });
    expect(result.counts).toEqual({ imported: 2, duplicate: 0, skipped: 1 });
    expect(reportOf(result, 'images/odd.png').reason).toMatch(/masks\/odd\.png: mask is a colour image/);
    const dataset = catalog.getDataset(result.datasetId)!;
    expect(dataset.kind).toBe('segmentation');
    expect(dataset.classes.map((c) => c.name)).toEqual(['background', 'object']);
    expect(dataset.options.maskValues).toBe('instances');
    const images = catalog.imagesWithAnnotations(result.datasetId);
    const first = images.find((i) => i.sourcePath === 'images/cells1.png')!;
    expect(first.boxes).toHaveLength(300);
    expect(first.boxes.map(({ x, y, w, h }) => ({ x, y, w, h }))).toEqual(boxes.map(({ x, y, w, h }) => ({ x, y, w, h })));
    expect(first.boxes.every((b) => b.classId === 1)).toBe(true);
    // the semantic mask: 4 pixels per instance are object, the rest background
    const mask = await DatasetSampleReader.open(catalog, result.datasetId).maskClassIds(first);
    expect(mask!.data.reduce((n, v) => n + v, 0)).toBe(300 * 4);
    const stats = catalog.statistics(result.datasetId)!;
    const instances = stats.instances!;
    expect(instances.train + instances.val + instances.test).toBe(312);
  });

  it('few values stay classes; the user can say instances, and classes with too many values is refused naming the option', async () => {
    const { root } = setup();
    for (let i = 0; i < 3; i++) {
      writePng(path.join(root, `images/${i}.png`), { seed: i });
      writeFile(path.join(root, `masks/${i}.png`), maskPngBytes(16, 12, 0, i + 1));
    }
    const classes = await buildImportPlan({ path: root });
    expect(classes.instanceMasks).toBeUndefined();
    expect(classes.classes).toEqual(['0', '1', '2', '3']);
    const instances = await buildImportPlan({ path: root, options: { maskValues: 'instances' } });
    expect(instances.instanceMasks).toBe(true);
    expect(instances.classes).toEqual(['background', 'object']);
    writePng(path.join(root, 'images/many.png'), { width: 54, height: 54, seed: 9 });
    writeFile(path.join(root, 'masks/many.png'), instanceLabelPng(300, 54).png);
    await expect(buildImportPlan({ path: root, options: { maskValues: 'classes' } })).rejects.toThrow(/301 distinct values.*maskValues "instances"/);
    // 31 cells in a dataset are 31 instances, not 32 classes
    const auto = await buildImportPlan({ path: root });
    expect(auto.instanceMasks).toBe(true);
  });
});
