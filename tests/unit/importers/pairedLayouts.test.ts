/**
 * Paired masks as publishers lay them out: image and mask folders of any
 * names, at any level, under split folders; auto-detect never makes such a
 * root a classification dataset.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { buildImportPlan } from '../../../main/importers/buildImportPlan';
import { detectImportFormat } from '../../../main/importers/detectImportFormat';
import { importHere, reportOf } from './importHere';
import { maskPngBytes, writeFile, writePng } from './generatedFixtures';
import { importWorkspaces } from './importWorkspace';
import { writeVesselLayout } from './layoutFixtures';

const setup = importWorkspaces();

describe('paired masks under any names and splits', () => {
  it('a train/ + test/ tree of images/ and manual/ imports as segmentation with the publisher split kept', async () => {
    const { root, catalog } = setup();
    writeVesselLayout(root);
    const result = await importHere(catalog, { path: root, format: 'paired-masks', options: { maskFolder: 'manual' } });
    expect(result.counts).toEqual({ imported: 8, duplicate: 0, skipped: 0 });
    const dataset = catalog.getDataset(result.datasetId)!;
    expect(dataset.kind).toBe('segmentation');
    expect(dataset.publisherSplit).toBe(true);
    const images = catalog.imagesWithAnnotations(result.datasetId);
    // the official test images stay in test; validation is carved out of train only
    expect(images.filter((i) => i.sourcePath.startsWith('test/')).every((i) => i.split === 'test')).toBe(true);
    expect(images.filter((i) => i.split === 'test')).toHaveLength(3);
    expect(images.filter((i) => i.sourcePath.startsWith('train/')).map((i) => i.split).sort()).toEqual(['train', 'train', 'train', 'train', 'val']);
    const one = images.find((i) => i.sourcePath === 'train/images/21_training.png')!;
    expect(one.mask?.sourcePath).toBe('train/manual/21_manual1.png');
  });

  it('auto-detect: one folder pairing with the images is the masks; several are a question naming maskFolder, never classes', () => {
    const { root } = setup();
    writeVesselLayout(root, { trainName: 'training', testName: 'testing' });
    expect(detectImportFormat(root)).toEqual({ format: 'paired-masks', root });
    writeVesselLayout(root, { trainName: 'training', testName: 'testing', extraMaskFolder: 'mask' });
    expect(() => detectImportFormat(root)).toThrow(/images\/ pairs with several folders \(manual\/, mask\/\); say which one holds the labels: maskFolder "manual" or "mask"/);
  });

  it('the named mask folder settles the question; the other is not imported as images', async () => {
    const { root, catalog } = setup();
    writeVesselLayout(root, { extraMaskFolder: 'mask' });
    const plan = await buildImportPlan({ path: root, options: { maskFolder: 'manual' } });
    expect(plan.format).toBe('paired-masks');
    expect(plan.items.every((i) => i.mask?.relPath.includes('/manual/'))).toBe(true);
    expect(plan.pairing?.pairs).toHaveLength(8);
    const result = await importHere(catalog, { path: root, options: { maskFolder: 'manual' } });
    expect(result.counts.imported).toBe(8);
  });

  it('a folder per cell line with img/ and gt/ is segmentation, not classification by cell line', async () => {
    const { root } = setup();
    for (const line of ['hela', 'u2os']) {
      for (let i = 0; i < 3; i++) {
        writePng(path.join(root, line, 'img', `t${i}.tif.png`), { seed: i + (line === 'hela' ? 0 : 10) });
        writeFile(path.join(root, line, 'gt', `t${i}.tif.png`), maskPngBytes(16, 12, 0, 1));
      }
    }
    const plan = await buildImportPlan({ path: root });
    expect(plan.format).toBe('paired-masks');
    expect(plan.kind).toBe('segmentation');
    expect(plan.items).toHaveLength(6);
  });

  it('split folders inside the image and mask folders, named validation / testing, are kept too', async () => {
    const { root } = setup();
    for (const [split, n] of [
      ['training', 4],
      ['validation', 2],
      ['testing', 2],
    ] as const) {
      for (let i = 0; i < n; i++) {
        writePng(path.join(root, 'images', split, `case_${i}.png`), { seed: i + split.length * 10 });
        writeFile(path.join(root, 'labels', split, `case_${i}_seg.png`), maskPngBytes(16, 12, 0, 1));
      }
    }
    const plan = await buildImportPlan({ path: root });
    expect(plan.publisherSplit).toBe(true);
    const count = (s: string) => plan.items.filter((i) => i.split === s).length;
    expect([count('train'), count('val'), count('test')]).toEqual([4, 2, 2]);
  });

  it('a user glob pairs names the default rules cannot; unpaired files are reported with their reason', async () => {
    const { root, catalog } = setup();
    for (const id of ['a', 'b', 'c']) writePng(path.join(root, 'scans', `scan-${id}-x.png`), { seed: id.charCodeAt(0) });
    for (const id of ['a', 'b', 'z']) writeFile(path.join(root, 'outlines', `outline-${id}.png`), maskPngBytes(16, 12, 0, 1));
    const result = await importHere(catalog, { path: root, format: 'paired-masks', options: { imageFolder: 'scans', maskFolder: 'outlines', pairPattern: 'scan-{id}-*|outline-{id}' } });
    expect(result.counts).toEqual({ imported: 2, duplicate: 0, skipped: 2 });
    expect(reportOf(result, 'scans/scan-c-x.png').reason).toBe('no mask with the identifier "c" in outlines/');
    expect(reportOf(result, 'outlines/outline-z.png').reason).toBe('mask without an image: no image with its identifier');
  });

  it('a folder named as images that pairs with nothing is refused with the options to name', async () => {
    const { root } = setup();
    writePng(path.join(root, 'pics', 'one.png'), { seed: 1 });
    await expect(buildImportPlan({ path: root, format: 'paired-masks', options: { imageFolder: 'pics', maskFolder: 'nowhere' } })).rejects.toThrow(/no folder pics with a folder nowhere beside it.*imageFolder \/ maskFolder/);
  });
});

describe('an image folder whose masks do not pair by name', () => {
  it('is a question naming maskFolder and the image-folder format, not two classes', async () => {
    const { root } = setup();
    for (const id of ['a', 'b']) writePng(path.join(root, 'images', `${id}.png`), { seed: id.charCodeAt(0) });
    for (const id of ['q', 'r']) writeFile(path.join(root, 'outlines', `${id}.png`), maskPngBytes(16, 12, 0, 1));
    expect(() => detectImportFormat(root)).toThrow(/images\/ sits beside outlines\/, but their file names do not pair; if that folder holds masks, name it with maskFolder "outlines" .* or import the folders as classes with format "image-folder"/);
    // named as classes, they import as classes
    const plan = await buildImportPlan({ path: root, format: 'image-folder' });
    expect(plan.classes).toEqual(['images', 'outlines']);
  });
});
