/**
 * Issue 16 point 1, valid-region masks: a DRIVE-like tree (train/images,
 * train/manual, train/mask) imported through the real CLI into a real catalog
 * in a temporary data folder. Label pixels outside the region are stored as
 * outsideImageClass (255): not a class in the statistics, not scored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { encode } from 'fast-png';
import { runCli } from '../../../main/cli';
import { openCatalog } from '../../../main/catalog/openCatalog';
import { DatasetSampleReader } from '../../../main/catalog/datasetSamples';
import { datasetStatistics } from '../../../main/catalog/datasetStatistics';
import { resolveDataDir } from '../../../main/services/dataDir';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '../../../main/engine/backend/initEngine';
import { segmentationLoss } from '../../../main/engine/losses/segmentationLoss';
import { segmentationMetrics } from '../../../main/engine/metrics/segmentationOverlap';
import { outsideImageClass } from '../../../shared/letterbox';
import { tempDir, writeFile, writePng } from '../../unit/importers/generatedFixtures';

const width = 16;
const height = 12;
/** vessels: 255 on every third diagonal */
const vessel = (x: number, y: number): boolean => (x + y) % 3 === 0;
/** the field of view: a rectangle 2 pixels in from every side */
const inRegion = (x: number, y: number): boolean => x >= 2 && x < width - 2 && y >= 2 && y < height - 2;

function grey(w: number, h: number, value: (x: number, y: number) => number): Uint8Array {
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = value(x, y);
  return encode({ width: w, height: h, channels: 1, depth: 8, data });
}

/** 21-23 complete; 24's region mask has another size; 25 has no region mask. */
function writeDriveLayout(root: string, classMapNames?: string[]): void {
  for (const id of [21, 22, 23, 24, 25]) {
    writePng(path.join(root, 'train', 'images', `${id}_training.png`), { width, height, seed: id });
    writeFile(path.join(root, 'train', 'manual', `${id}_manual1.png`), grey(width, height, (x, y) => (vessel(x, y) ? 255 : 0)));
    if (id === 24) writeFile(path.join(root, 'train', 'mask', `${id}_training_mask.png`), grey(10, 10, () => 255));
    else if (id !== 25) writeFile(path.join(root, 'train', 'mask', `${id}_training_mask.png`), grey(width, height, (x, y) => (inRegion(x, y) ? 255 : 0)));
  }
  if (classMapNames) writeFile(path.join(root, 'classes.json'), JSON.stringify(classMapNames));
}

const t = tempDir('umedpt-valid-region-');
const previousHome = process.env.UMEDPT_HOME;
beforeAll(() => {
  process.env.UMEDPT_HOME = path.join(t.dir, 'home');
});
afterAll(() => {
  if (previousHome === undefined) delete process.env.UMEDPT_HOME;
  else process.env.UMEDPT_HOME = previousHome;
  t.cleanup();
});

async function cli(...args: string[]): Promise<{ code: number; out: string[]; text: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l: string) => out.push(l), err: (l: string) => err.push(l) });
  return { code, out, text: [...out, ...err].join('\n') };
}

describe('umedpt import --valid-region', () => {
  it('--masks manual --valid-region mask: 255 exactly outside the region, unpaired or mis-sized regions skipped with their reason, the option recorded', async () => {
    const root = path.join(t.dir, 'drive');
    writeDriveLayout(root);
    const dry = await cli('import', root, '--masks', 'manual', '--valid-region', 'mask', '--dry-run');
    expect(dry.code, dry.text).toBe(0);
    expect(dry.text).toMatch(/train\/images\/25_training\.png: valid-region mask: no mask with the identifier "25" in train\/mask\//);
    // without --masks the region folder is never taken for the labels: manual/ is the one label folder left
    const auto = await cli('import', root, '--valid-region', 'mask', '--dry-run');
    expect(auto.code, auto.text).toBe(0);
    expect(auto.text).toMatch(/train\/images\/21_training\.png {2}<- {2}train\/manual\/21_manual1\.png/);

    const imported = await cli('import', root, '--masks', 'manual', '--valid-region', 'mask', '--verbose');
    expect(imported.code, imported.text).toBe(0);
    expect(imported.out[0]).toMatch(/^dataset \d+: completed; 3 imported, 0 duplicate, 2 skipped/);
    expect(imported.text).toMatch(/skipped +train\/images\/24_training\.png: valid-region mask train\/mask\/24_training_mask\.png is 10x10 but the mask is 16x12/);
    expect(imported.text).toMatch(/skipped +train\/images\/25_training\.png: valid-region mask: no mask with the identifier "25"/);
    const id = Number(/^dataset (\d+)/.exec(imported.out[0]!)![1]);
    // --update with nothing changed re-imports nothing (the stored mask is the region-applied one, compared after preparing)
    const update = await cli('import', root, '--masks', 'manual', '--valid-region', 'mask', '--update');
    expect(update.code, update.text).toBe(0);
    expect(update.out[0]).toMatch(/completed; 0 imported, 3 duplicate, 2 skipped/);
    const { dataset } = JSON.parse((await cli('dataset', String(id), '--json')).out.join('\n'));
    expect(dataset.kind).toBe('segmentation');
    expect(dataset.classes.map((c: { name: string }) => c.name)).toEqual(['0', '255']);

    const catalog = openCatalog(resolveDataDir(null));
    try {
      expect(catalog.getDataset(id)?.options).toMatchObject({ maskFolder: 'manual', validRegionFolder: 'mask' });
      const reader = DatasetSampleReader.open(catalog, id);
      const images = reader.images();
      expect(images.map((i) => i.sourcePath).sort()).toEqual(['train/images/21_training.png', 'train/images/22_training.png', 'train/images/23_training.png']);
      for (const image of images) {
        const mask = (await reader.maskClassIds(image))!;
        expect([mask.width, mask.height]).toEqual([width, height]);
        const expected = new Uint8Array(width * height);
        for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) expected[y * width + x] = inRegion(x, y) ? (vessel(x, y) ? 1 : 0) : outsideImageClass;
        expect([...mask.data]).toEqual([...expected]);
      }
      // the statistics count the two classes, never 255
      const stats = datasetStatistics(catalog, id)!;
      expect(stats.classCounts.map((c) => c.classId).sort()).toEqual([0, 1]);
      const vessels = stats.classCounts.find((c) => c.classId === 1)!.images;
      expect(vessels.train + vessels.val + vessels.test).toBe(3);

      // scoring: predictions wrong only outside the region leave the Dice perfect; on the labels without the region they would not
      const truth = (await reader.maskClassIds(images[0]!))!.data;
      const predicted = truth.map((v, p) => (v === outsideImageClass ? 1 - (vessel(p % width, Math.floor(p / width)) ? 1 : 0) : v));
      expect(segmentationMetrics([{ predicted, truth }], 2).dicePerClass).toEqual([1, 1]);
      const withoutRegion = truth.map((v, p) => (v === outsideImageClass ? (vessel(p % width, Math.floor(p / width)) ? 1 : 0) : v));
      const unmasked = segmentationMetrics([{ predicted, truth: withoutRegion }], 2);
      expect(unmasked.dicePerClass[0]!).toBeLessThan(0.95);
      expect(unmasked.dicePerClass[1]!).toBeLessThan(0.95);

      // training: the loss on the stored mask does not move when only the logits outside the region change
      await initEngine({ forced: 'cpu' });
      const logits = (outside: number) =>
        tf.tensor4d(Array.from(truth).flatMap((v, p) => (v === outsideImageClass ? [outside, -outside] : [Math.sin(p), Math.cos(p)])), [1, height, width, 2]);
      const loss = (outside: number) => segmentationLoss(logits(outside), truth).dataSync()[0]!;
      expect(loss(9)).toBeCloseTo(loss(-9), 6);
      // with the labels that ignore the region, the same change moves it
      const lossWithout = (outside: number) => segmentationLoss(logits(outside), withoutRegion).dataSync()[0]!;
      expect(Math.abs(lossWithout(9) - lossWithout(-9))).toBeGreaterThan(0.01);
    } finally {
      catalog.close();
    }
  });

  it('a class map that needs 255 as a real class is refused with a valid-region mask, and no dataset is made', async () => {
    const root = path.join(t.dir, 'drive-256');
    const names = Array.from({ length: 256 }, (_, i) => `class ${i}`);
    writeDriveLayout(root, names);
    const before = (await cli('datasets', '--json', '--all')).out.join('\n');
    const refused = await cli('import', root, '--masks', 'manual', '--valid-region', 'mask');
    expect(refused.code).not.toBe(0);
    expect(refused.text).toMatch(/256 classes need the class id 255 for a real class, but with a valid-region mask 255 marks the pixels outside the region/);
    expect((await cli('datasets', '--json', '--all')).out.join('\n')).toBe(before);
  });
});
