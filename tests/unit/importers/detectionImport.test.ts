import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { importHere, reportOf } from './importHere';
import { vocXml, writeFile, writePng } from './generatedFixtures';
import { importWorkspaces } from './importWorkspace';

const setup = importWorkspaces();

describe('Pascal VOC', () => {
  it('reads boxes and ImageSets splits; clips boxes outside the image; reports missing fields and missing XML', async () => {
    const { root, catalog } = setup();
    for (const id of ['a', 'b', 'c', 'd', 'e']) writePng(path.join(root, `JPEGImages/${id}.png`), { width: 16, height: 12, seed: id.charCodeAt(0) });
    writeFile(path.join(root, 'Annotations/a.xml'), vocXml('a.png', 16, 12, [{ name: 'RBC', box: [1, 2, 5, 6] }, { name: 'WBC', box: [10, 8, 20, 15] }]));
    writeFile(path.join(root, 'Annotations/b.xml'), vocXml('b.png', 16, 12, [{ name: 'RBC', box: [0, 0, 4, 4] }]));
    writeFile(path.join(root, 'Annotations/c.xml'), vocXml('c.png', 16, 12, [{ name: 'RBC', box: null }]));
    writeFile(path.join(root, 'Annotations/d.xml'), vocXml('d.png', 16, 12, [{ box: [0, 0, 4, 4] }]));
    writeFile(path.join(root, 'Annotations/orphan.xml'), vocXml('orphan.png', 16, 12, []));
    writeFile(path.join(root, 'ImageSets/Main/train.txt'), 'a\nc\n');
    writeFile(path.join(root, 'ImageSets/Main/val.txt'), 'b\n');
    writeFile(path.join(root, 'ImageSets/Main/test.txt'), 'd\ne\nghost\n');
    const result = await importHere(catalog, { path: root });
    expect(result.counts).toEqual({ imported: 2, duplicate: 0, skipped: 5 });
    expect(reportOf(result, 'JPEGImages/c.png').reason).toBe('Annotations/c.xml object 1: missing <bndbox>');
    expect(reportOf(result, 'JPEGImages/d.png').reason).toBe('Annotations/d.xml object 1: missing <name>');
    expect(reportOf(result, 'JPEGImages/e.png').reason).toBe('no annotation file Annotations/e.xml');
    expect(reportOf(result, 'Annotations/orphan.xml').reason).toMatch(/no image/);
    expect(reportOf(result, 'ImageSets/Main/test.txt line 3').reason).toMatch(/no such image/);
    const a = reportOf(result, 'JPEGImages/a.png');
    expect(a.warnings).toEqual(['WBC box (10, 8, 10x7) reaches outside the 16x12 image (right edge 20 > 16, bottom edge 15 > 12): clipped']);
    const images = catalog.imagesWithAnnotations(result.datasetId);
    const imageA = images.find((i) => i.sourcePath === 'JPEGImages/a.png')!;
    expect(imageA.split).toBe('train');
    expect(imageA.boxes).toEqual([
      { classId: 0, x: 1, y: 2, w: 4, h: 4, clipped: false },
      { classId: 1, x: 10, y: 8, w: 6, h: 4, clipped: true },
    ]);
    expect(images.find((i) => i.sourcePath === 'JPEGImages/b.png')!.split).toBe('val');
  });
});

describe('COCO', () => {
  it('maps categories, converts image ids, and reports annotations pointing at unknown images', async () => {
    const { root, catalog } = setup();
    writePng(path.join(root, 'images/1.png'), { width: 16, height: 12, seed: 1 });
    writePng(path.join(root, 'images/2.png'), { width: 16, height: 12, seed: 2 });
    writeFile(
      path.join(root, 'annotations.json'),
      JSON.stringify({
        images: [
          { id: 10, file_name: '1.png', width: 16, height: 12 },
          { id: 11, file_name: '2.png', width: 16, height: 12 },
          { id: 12, file_name: '../../evil.png', width: 16, height: 12 },
        ],
        categories: [
          { id: 5, name: 'mitosis' },
          { id: 9, name: 'nucleus' },
        ],
        annotations: [
          { id: 1, image_id: 10, category_id: 9, bbox: [2, 3, 4, 5] },
          { id: 2, image_id: 10, category_id: 5, bbox: [-2, 1, 4, 4] },
          { id: 3, image_id: 99, category_id: 5, bbox: [0, 0, 1, 1] },
          { id: 4, image_id: 11, category_id: 42, bbox: [0, 0, 1, 1] },
        ],
      }),
    );
    const result = await importHere(catalog, { path: root });
    expect(result.counts.imported).toBe(2);
    expect(reportOf(result, 'annotations.json annotation 3').reason).toBe('points at unknown image id 99');
    expect(reportOf(result, 'annotations.json image 12').reason).toMatch(/escapes the dataset root/);
    expect(reportOf(result, 'images/2.png').warnings).toEqual(['annotations.json annotation 4: unknown category id 42, annotation dropped']);
    const dataset = catalog.getDataset(result.datasetId)!;
    expect(dataset.classes.map((c) => c.name)).toEqual(['mitosis', 'nucleus']);
    const one = catalog.imagesWithAnnotations(result.datasetId).find((i) => i.sourcePath === 'images/1.png')!;
    expect(one.boxes).toEqual([
      { classId: 1, x: 2, y: 3, w: 4, h: 5, clipped: false },
      { classId: 0, x: 0, y: 1, w: 2, h: 4, clipped: true },
    ]);
  });
});

describe('YOLO', () => {
  it('converts normalised centre boxes to pixels with classes from data.yaml and reports bad lines', async () => {
    const { root, catalog } = setup();
    writePng(path.join(root, 'images/train/a.png'), { width: 20, height: 10, seed: 1 });
    writePng(path.join(root, 'images/val/b.png'), { width: 20, height: 10, seed: 2 });
    writePng(path.join(root, 'images/val/c.png'), { width: 20, height: 10, seed: 3 });
    writeFile(path.join(root, 'labels/train/a.txt'), '1 0.5 0.5 0.5 0.4\n0 0.1 0.1 0.2 0.2\n');
    writeFile(path.join(root, 'labels/val/c.txt'), '3 0.5 0.5 0.1 0.1\n');
    writeFile(path.join(root, 'data.yaml'), 'names:\n  0: platelet\n  1: wbc\n');
    const result = await importHere(catalog, { path: root });
    expect(result.counts).toEqual({ imported: 2, duplicate: 0, skipped: 1 });
    expect(reportOf(result, 'images/val/c.png').reason).toBe('labels/val/c.txt:1: class 3 is not one of the 2 classes');
    const a = catalog.imagesWithAnnotations(result.datasetId).find((i) => i.sourcePath === 'images/train/a.png')!;
    expect(a.split).toBe('train');
    expect(a.boxes[0]).toEqual({ classId: 1, x: 5, y: 3, w: 10, h: 4, clipped: false });
    expect(a.boxes[1]).toMatchObject({ classId: 0, x: 0, y: 0, clipped: false });
    expect(a.boxes[1]!.w).toBeCloseTo(4);
    expect(a.boxes[1]!.h).toBeCloseTo(2);
    const b = catalog.imagesWithAnnotations(result.datasetId).find((i) => i.sourcePath === 'images/val/b.png')!;
    expect(b.boxes).toEqual([]);
    expect(b.split).toBe('val');
  });
});
