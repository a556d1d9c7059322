/**
 * Issue 16 point 3, instance label images with classes, through the real CLI
 * against a real catalog in a temporary data folder: a CoNSeP-style tree
 * (images/ + 16-bit TIFF instance labels + a type_map/ of class ids beside
 * them) and a folder with one instance_classes.csv. The semantic mask holds
 * each instance's class, each box carries it, and a class map that cannot
 * serve skips its file with a reason naming it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { encode } from 'fast-png';
import { runCli } from '../../../main/cli';
import { openCatalog } from '../../../main/catalog/openCatalog';
import { DatasetSampleReader } from '../../../main/catalog/datasetSamples';
import { resolveDataDir } from '../../../main/services/dataDir';
import { writeTiff } from '../../fixtures/pixels/rasterWriters';
import { tempDir, writeFile, writePng } from '../../unit/importers/generatedFixtures';

const side = 24;

/** An instance: its id (16-bit values on purpose), a rectangle, and the class its type-map pixels mostly have. */
interface Cell {
  id: number;
  x: number;
  y: number;
  w: number;
  h: number;
  type: number;
  /** type-map pixels of another class inside the instance (a minority: the majority class wins) */
  minority?: { type: number; count: number };
}

function instanceValues(cells: Cell[]): Uint16Array {
  const data = new Uint16Array(side * side);
  for (const c of cells) for (let y = c.y; y < c.y + c.h; y++) for (let x = c.x; x < c.x + c.w; x++) data[y * side + x] = c.id;
  return data;
}

function typeMapPng(cells: Cell[], size = side): Uint8Array {
  const data = new Uint8Array(size * size);
  for (const c of cells) {
    let minority = c.minority?.count ?? 0;
    for (let y = c.y; y < c.y + c.h; y++) {
      for (let x = c.x; x < c.x + c.w; x++) {
        if (x >= size || y >= size) continue;
        data[y * size + x] = minority-- > 0 ? c.minority!.type : c.type;
      }
    }
  }
  return encode({ width: size, height: size, channels: 1, depth: 8, data });
}

/** The semantic mask the import should store: each instance's pixels carry its (majority) class id. */
function expectedSemantic(cells: Cell[], classIdOfType: (type: number) => number): number[] {
  const data = new Array<number>(side * side).fill(0);
  for (const c of cells) for (let y = c.y; y < c.y + c.h; y++) for (let x = c.x; x < c.x + c.w; x++) data[y * side + x] = classIdOfType(c.type);
  return data;
}

const fields: Record<string, Cell[]> = {
  f1: [
    { id: 300, x: 0, y: 0, w: 4, h: 4, type: 1 },
    // 6 of 16 pixels say class 1, the other 10 class 2: the instance is class 2
    { id: 7, x: 10, y: 10, w: 4, h: 4, type: 2, minority: { type: 1, count: 6 } },
    { id: 1000, x: 16, y: 2, w: 3, h: 5, type: 1 },
  ],
  f2: [
    { id: 1, x: 2, y: 2, w: 5, h: 5, type: 2 },
    { id: 2, x: 12, y: 12, w: 6, h: 3, type: 3 },
  ],
  // its type map is 20x20: skipped, naming the type map
  f3: [{ id: 5, x: 1, y: 1, w: 3, h: 3, type: 1 }],
  // instance 9 has only 0 in the type map: skipped, naming the instance
  f4: [
    { id: 4, x: 1, y: 1, w: 3, h: 3, type: 1 },
    { id: 9, x: 10, y: 10, w: 3, h: 3, type: 0 },
  ],
};

const t = tempDir('umedpt-instance-classes-');
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

async function storedMasksAndBoxes(datasetId: number): Promise<Map<string, { mask: number[]; boxes: Array<{ classId: number; x: number; y: number; w: number; h: number }> }>> {
  const catalog = openCatalog(resolveDataDir(null));
  try {
    const reader = DatasetSampleReader.open(catalog, datasetId);
    const result = new Map<string, { mask: number[]; boxes: Array<{ classId: number; x: number; y: number; w: number; h: number }> }>();
    for (const image of reader.images()) {
      const mask = (await reader.maskClassIds(image))!;
      const boxes = image.boxes.map((b) => ({ classId: b.classId, x: b.x, y: b.y, w: b.w, h: b.h })).sort((a, b) => a.y - b.y || a.x - b.x);
      result.set(image.sourcePath, { mask: [...mask.data], boxes });
    }
    return result;
  } finally {
    catalog.close();
  }
}

const boxesOf = (cells: Cell[], classIdOfType: (type: number) => number) =>
  cells.map((c) => ({ classId: classIdOfType(c.type), x: c.x, y: c.y, w: c.w, h: c.h })).sort((a, b) => a.y - b.y || a.x - b.x);

describe('umedpt import: instance label images with a class per instance', () => {
  it('a type_map/ beside 16-bit TIFF instance labels: per-class mask, a class on every box, per-class counts; a bad type map skips its file', async () => {
    const root = path.join(t.dir, 'consep');
    for (const [name, cells] of Object.entries(fields)) {
      writePng(path.join(root, 'images', `${name}.png`), { width: side, height: side, channels: 3, seed: name.length + cells.length });
      writeFile(path.join(root, 'labels', `${name}.tif`), writeTiff([{ width: side, height: side, bitsPerSample: 16, samplesPerPixel: 1, samples: instanceValues(cells) }]));
      writeFile(path.join(root, 'type_map', `${name}.png`), typeMapPng(cells, name === 'f3' ? 20 : side));
    }
    // the names of classes 0..2; class 3 has none ("class 3")
    writeFile(path.join(root, 'classes.json'), JSON.stringify(['background', 'neoplastic', 'inflammatory']));

    const dry = await cli('import', root, '--dry-run');
    expect(dry.code, dry.text).toBe(0);
    expect(dry.text).toMatch(/instance masks: a class per instance from type_map\//);
    expect(dry.text).toMatch(/classes +background, neoplastic, inflammatory, class 3/);

    const imported = await cli('import', root, '--verbose');
    expect(imported.code, imported.text).toBe(0);
    expect(imported.out[0]).toMatch(/^dataset \d+: completed; 2 imported, 0 duplicate, 2 skipped/);
    expect(imported.text).toMatch(/skipped +images\/f3\.png: class map type_map\/f3\.png is 20x20 but the mask is 24x24/);
    expect(imported.text).toMatch(/skipped +images\/f4\.png: type_map\/f4\.png: instance 9 has no class \(its pixels are 0 in the class map\)/);
    const id = Number(/^dataset (\d+)/.exec(imported.out[0]!)![1]);

    const { dataset, statistics } = JSON.parse((await cli('dataset', String(id), '--json')).out.join('\n'));
    expect(dataset.classes.map((c: { name: string }) => c.name)).toEqual(['background', 'neoplastic', 'inflammatory', 'class 3']);
    expect(dataset.options).toMatchObject({ maskValues: 'instances' });
    // instances per class: f1 has two class-1 cells and one class-2 (the majority), f2 one class-2 and one class-3
    const instancesOf = (classId: number) => {
      const b = statistics.classCounts.find((c: { classId: number }) => c.classId === classId).boxes;
      return b.train + b.val + b.test;
    };
    expect([1, 2, 3].map(instancesOf)).toEqual([2, 2, 1]);
    expect(statistics.instances.train + statistics.instances.val + statistics.instances.test).toBe(5);

    const stored = await storedMasksAndBoxes(id);
    expect([...stored.keys()].sort()).toEqual(['images/f1.png', 'images/f2.png']);
    const classIdOfType = (type: number) => type; // the class values 1..3 are the class ids here
    for (const name of ['f1', 'f2']) {
      const { mask, boxes } = stored.get(`images/${name}.png`)!;
      expect(mask).toEqual(expectedSemantic(fields[name]!, classIdOfType));
      expect(boxes).toEqual(boxesOf(fields[name]!, classIdOfType));
    }
  });

  it('instance_classes.csv (file,instance_id,class) with --instance-classes: classes from the table; a mask without rows or with a bad row is skipped naming the table', async () => {
    const root = path.join(t.dir, 'table');
    const cells: Record<string, Cell[]> = {
      a: [
        { id: 40, x: 0, y: 0, w: 3, h: 3, type: 2 },
        { id: 41, x: 8, y: 8, w: 4, h: 2, type: 5 },
      ],
      b: [{ id: 1, x: 5, y: 5, w: 2, h: 2, type: 2 }],
      c: [{ id: 1, x: 5, y: 5, w: 2, h: 2, type: 2 }],
      d: [
        { id: 3, x: 5, y: 5, w: 2, h: 2, type: 2 },
        { id: 4, x: 9, y: 9, w: 2, h: 2, type: 2 },
      ],
    };
    for (const [name, list] of Object.entries(cells)) {
      writePng(path.join(root, 'img', `${name}.png`), { width: side, height: side, seed: name.charCodeAt(0) });
      writeFile(path.join(root, 'gt', `${name}.png`), encode({ width: side, height: side, channels: 1, depth: 16, data: instanceValues(list) }));
    }
    writeFile(path.join(root, 'classes.json'), JSON.stringify({ 0: 'background', 2: 'epithelial', 5: 'lymphocyte' }));
    // b has no rows; c's class is not a class; d lacks instance 4
    writeFile(path.join(root, 'meta', 'cells.csv'), 'file,instance_id,class\na.png,40,epithelial\na.png,41,5\nc,1,stroma\nd,3,2\n');
    const imported = await cli('import', root, '--instance-classes', 'meta/cells.csv', '--verbose');
    expect(imported.code, imported.text).toBe(0);
    expect(imported.out[0]).toMatch(/^dataset \d+: completed; 1 imported, 0 duplicate, 3 skipped/);
    expect(imported.text).toMatch(/skipped +img\/b\.png: meta\/cells\.csv has no rows for b\.png/);
    expect(imported.text).toMatch(/skipped +img\/c\.png: meta\/cells\.csv line 4: class "stroma" is neither a class id nor a name/);
    expect(imported.text).toMatch(/skipped +img\/d\.png: meta\/cells\.csv has no class for instance 4 of gt\/d\.png/);
    const id = Number(/^dataset (\d+)/.exec(imported.out[0]!)![1]);
    const { dataset } = JSON.parse((await cli('dataset', String(id), '--json')).out.join('\n'));
    expect(dataset.classes.map((c: { name: string }) => c.name)).toEqual(['background', 'epithelial', 'lymphocyte']);
    expect(dataset.options).toMatchObject({ instanceClasses: 'meta/cells.csv', maskValues: 'instances' });
    const classIdOfType = (type: number) => ({ 2: 1, 5: 2 })[type]!;
    const { mask, boxes } = (await storedMasksAndBoxes(id)).get('img/a.png')!;
    expect(mask).toEqual(expectedSemantic(cells.a!, classIdOfType));
    expect(boxes).toEqual(boxesOf(cells.a!, classIdOfType));
  });

  it('--instance-classes naming nothing there, or with --mask-values classes, is a usage error and makes no dataset', async () => {
    const root = path.join(t.dir, 'table');
    const before = (await cli('datasets', '--json', '--all')).out.join('\n');
    const missing = await cli('import', root, '--instance-classes', 'nowhere', '--as-copy');
    expect(missing.code).not.toBe(0);
    expect(missing.text).toMatch(/nowhere.*neither a file under the root nor a folder beside the images/);
    const contradiction = await cli('import', root, '--instance-classes', 'meta/cells.csv', '--mask-values', 'classes', '--as-copy');
    expect(contradiction.code).not.toBe(0);
    expect(contradiction.text).toMatch(/--instance-classes goes with instance label images/);
    expect((await cli('datasets', '--json', '--all')).out.join('\n')).toBe(before);
  });
});
