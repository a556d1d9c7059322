/**
 * issue 16's "done when", through the real CLI against a real SQLite catalog
 * in a temporary data folder (each import runs in its worker process): a
 * retinal-vessel style tree with the publisher's train/test split, an empty
 * folder, a 16-bit instance label image with 300 ids, a second import of the
 * same source, and --dry-run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../../../main/cli';
import { tempDir, writeFile, writePng } from '../../unit/importers/generatedFixtures';
import { instanceLabelPng, writeVesselLayout } from '../../unit/importers/layoutFixtures';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err, text: () => [...out, ...err].join('\n') };
}

const t = tempDir('umedpt-cli-layouts-');
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
  const c = capture();
  const code = await runCli(args, c.io);
  return { code, out: c.out, text: c.text() };
}

async function datasets(): Promise<Array<{ id: number; name: string; kind: string; imageCount: number }>> {
  const listed = await cli('datasets', '--json', '--all');
  expect(listed.code).toBe(0);
  return JSON.parse(listed.out.join('\n'));
}

describe('umedpt import: layouts as publishers ship them', () => {
  it('train/images + train/manual (and test/): --format paired-masks --masks manual keeps the split; auto-detect imports it as segmentation', async () => {
    const root = path.join(t.dir, 'vessels');
    writeVesselLayout(root);
    const imported = await cli('import', root, '--format', 'paired-masks', '--masks', 'manual');
    expect(imported.code, imported.text).toBe(0);
    const id = Number(/^dataset (\d+): completed; 8 imported, 0 duplicate, 0 skipped/.exec(imported.out[0] ?? '')?.[1]);
    expect(id, imported.text).toBeGreaterThan(0);
    expect(imported.text).toMatch(/splits {3}train 4, val 1, test 3 \(publisher's split\)/);
    const shown = await cli('dataset', String(id), '--json');
    const { dataset } = JSON.parse(shown.out.join('\n'));
    expect(dataset.kind).toBe('segmentation');
    expect(dataset.format).toBe('paired-masks');
    expect(dataset.publisherSplit).toBe(true);
    expect(dataset.splitCounts).toEqual({ train: 4, val: 1, test: 3 });

    // auto-detect on a copy of the same layout: segmentation, never classes "images" and "manual"
    const again = path.join(t.dir, 'vessels-auto');
    writeVesselLayout(again);
    const auto = await cli('import', again);
    expect(auto.code, auto.text).toBe(0);
    const autoId = Number(/^dataset (\d+)/.exec(auto.out[0] ?? '')?.[1]);
    const autoDataset = JSON.parse((await cli('dataset', String(autoId), '--json')).out.join('\n')).dataset;
    expect(autoDataset.kind).toBe('segmentation');
    expect(autoDataset.classes.map((c: { name: string }) => c.name)).toEqual(['0', '255']);
  });

  it('auto-detect with two folders pairing with the images fails naming --masks and leaves no dataset', async () => {
    const root = path.join(t.dir, 'vessels-fov');
    writeVesselLayout(root, { extraMaskFolder: 'mask' });
    const before = (await datasets()).length;
    const result = await cli('import', root);
    expect(result.code).toBe(1);
    expect(result.text).toMatch(/pairs with several folders \(manual\/, mask\/\); say which one holds the labels: --masks manual or --masks mask/);
    expect(result.text).not.toMatch(/maskFolder/);
    expect(await datasets()).toHaveLength(before);
    const named = await cli('import', root, '--masks', 'manual', '--name', 'vessels with fov');
    expect(named.code, named.text).toBe(0);
    expect(named.out[0]).toMatch(/completed; 8 imported/);
  });

  it('--dry-run lists the pairs and the unpaired files and imports nothing', async () => {
    const root = path.join(t.dir, 'vessels-dry');
    writeVesselLayout(root);
    writePng(path.join(root, 'train', 'images', '99_training.png'), { seed: 99 });
    const before = (await datasets()).length;
    const dry = await cli('import', root, '--masks', 'manual', '--dry-run');
    expect(dry.code, dry.text).toBe(0);
    expect(dry.text).toMatch(/paired-masks, segmentation, 8 to import/);
    expect(dry.text).toMatch(/pairs {4}8 \(paired by shared identifier\)/);
    expect(dry.text).toMatch(/train\/images\/21_training\.png {2}<- {2}train\/manual\/21_manual1\.png/);
    expect(dry.text).toMatch(/train\/images\/99_training\.png: no mask with the identifier "99" in train\/manual\//);
    expect(await datasets()).toHaveLength(before);
  });

  it('an empty folder exits non-zero and leaves no dataset', async () => {
    const empty = path.join(t.dir, 'empty');
    mkdirSync(empty);
    const before = (await datasets()).length;
    const result = await cli('import', empty);
    expect(result.code).toBe(1);
    expect(result.text).toMatch(/empty: nothing to import/);
    expect(await datasets()).toHaveLength(before);
    // a folder whose every file is unreadable is no better: an error, no dataset
    const junk = path.join(t.dir, 'junk');
    writeFile(path.join(junk, 'notes.txt'), 'not an image');
    const junkResult = await cli('import', junk);
    expect(junkResult.code).toBe(1);
    expect(junkResult.text).toMatch(/no file could be imported \(1 skipped/);
    expect(await datasets()).toHaveLength(before);
  });

  it('a 16-bit label image with 300 ids imports as instances, counted in the dataset statistics', async () => {
    const root = path.join(t.dir, 'nuclei');
    writePng(path.join(root, 'img', 'field1.png'), { width: 54, height: 54, seed: 5 });
    writeFile(path.join(root, 'gt', 'field1.png'), instanceLabelPng(300, 54).png);
    writePng(path.join(root, 'img', 'field2.png'), { width: 54, height: 54, seed: 6 });
    writeFile(path.join(root, 'gt', 'field2.png'), instanceLabelPng(40, 54).png);
    const result = await cli('import', root);
    expect(result.code, result.text).toBe(0);
    const id = Number(/^dataset (\d+): completed; 2 imported/.exec(result.out[0] ?? '')?.[1]);
    expect(id, result.text).toBeGreaterThan(0);
    const shown = await cli('dataset', String(id));
    expect(shown.text).toMatch(/instances 340 /);
    const json = JSON.parse((await cli('dataset', String(id), '--json')).out.join('\n'));
    expect(json.dataset.classes.map((c: { name: string }) => c.name)).toEqual(['background', 'object']);
    const boxes = json.statistics.classCounts[1].boxes;
    expect(boxes.train + boxes.val + boxes.test).toBe(340);
  });

  it('the same source twice is refused naming --update and --as-copy; --update takes only new files; --as-copy makes a second dataset', async () => {
    const root = path.join(t.dir, 'twice');
    writeVesselLayout(root, { trainIds: [1, 2, 3], testIds: [4] });
    const first = await cli('import', root, '--masks', 'manual');
    expect(first.code, first.text).toBe(0);
    const before = (await datasets()).length;
    const second = await cli('import', root, '--masks', 'manual');
    expect(second.code).toBe(1);
    expect(second.text).toMatch(/is in the catalog already as dataset \d+ \("twice"\); import only its new or changed files with --update, or a second dataset with --as-copy/);
    expect(await datasets()).toHaveLength(before);

    writeVesselLayout(root, { trainIds: [1, 2, 3, 5], testIds: [4] });
    const update = await cli('import', root, '--masks', 'manual', '--update');
    expect(update.code, update.text).toBe(0);
    expect(update.out[0]).toMatch(/completed; 1 imported, 4 duplicate, 0 skipped/);
    expect(update.text).toMatch(/unchanged since it was imported/);
    expect(await datasets()).toHaveLength(before);

    const copy = await cli('import', root, '--masks', 'manual', '--as-copy', '--name', 'twice again');
    expect(copy.code, copy.text).toBe(0);
    expect(copy.out[0]).toMatch(/completed; 5 imported/);
    expect(await datasets()).toHaveLength(before + 1);
  });

  it('a split left empty is reported after the import', async () => {
    const root = path.join(t.dir, 'one-image');
    writePng(path.join(root, 'a', 'x.png'), { seed: 1 });
    writePng(path.join(root, 'b', 'y.png'), { seed: 2 });
    const result = await cli('import', root);
    expect(result.code, result.text).toBe(0);
    expect(result.text).toMatch(/warning {2}the test split is empty \(2 images in all/);
  });
});
