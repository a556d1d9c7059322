/** YOLO as Roboflow exports it (train/images + train/labels, valid/..., test/...), and boxes at the image edge. */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { detectImportFormat } from '../../../main/importers/detectImportFormat';
import { importHere, reportOf } from './importHere';
import { writeFile, writePng } from './generatedFixtures';
import { importWorkspaces } from './importWorkspace';

const setup = importWorkspaces();

describe('YOLO split folders and edges', () => {
  it('split-first folders keep the publisher split; a box within half a pixel of the edge is no warning, one further out names its edge', async () => {
    const { root, catalog } = setup();
    writeFile(path.join(root, 'data.yaml'), 'names: [cell, debris]\n');
    let seed = 1;
    for (const [split, n] of [
      ['train', 3],
      ['valid', 1],
      ['test', 1],
    ] as const) {
      for (let i = 0; i < n; i++) {
        // 100 x 50 images
        writePng(path.join(root, split, 'images', `${split}${i}.png`), { width: 100, height: 50, seed: seed++ });
        writeFile(path.join(root, split, 'labels', `${split}${i}.txt`), '0 0.5 0.5 0.2 0.2\n');
      }
    }
    // right edge at 100.3 px: rounding, not outside
    writeFile(path.join(root, 'train', 'labels', 'train0.txt'), '0 0.9015 0.5 0.2 0.2\n');
    // right edge at 101 px: outside, reported with the coordinate checked
    writeFile(path.join(root, 'train', 'labels', 'train1.txt'), '1 0.91 0.5 0.2 0.2\n');
    expect(detectImportFormat(root)).toEqual({ format: 'yolo', root });
    const result = await importHere(catalog, { path: root });
    expect(result.counts).toEqual({ imported: 5, duplicate: 0, skipped: 0 });
    const dataset = catalog.getDataset(result.datasetId)!;
    expect(dataset.publisherSplit).toBe(true);
    expect(dataset.splitCounts).toEqual({ train: 3, val: 1, test: 1 });
    expect(reportOf(result, 'train/images/train0.png').warnings).toBeUndefined();
    expect(reportOf(result, 'train/images/train1.png').warnings).toEqual(['debris box (81, 20, 20x10) reaches outside the 100x50 image (right edge 101 > 100): clipped']);
    const boxes = catalog.imagesWithAnnotations(result.datasetId).find((i) => i.sourcePath === 'train/images/train0.png')!.boxes;
    expect(boxes[0]).toMatchObject({ clipped: false });
    expect(boxes[0]!.x + boxes[0]!.w).toBeCloseTo(100, 6);
  });
});
