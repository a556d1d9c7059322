import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { runCli } from '../../../main/cli';
import { tempDir, vocXml, writeFile, writePng } from '../../unit/importers/generatedFixtures';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

const t = tempDir();
const previousHome = process.env.UMEDPT_HOME;
afterAll(() => {
  if (previousHome === undefined) delete process.env.UMEDPT_HOME;
  else process.env.UMEDPT_HOME = previousHome;
  t.cleanup();
});

describe('umedpt import / datasets / dataset', () => {
  it('imports a folder, reports problems, then lists and describes the dataset', async () => {
    process.env.UMEDPT_HOME = path.join(t.dir, 'home');
    const root = path.join(t.dir, 'voc');
    for (const id of ['a', 'b', 'c']) writePng(path.join(root, `JPEGImages/${id}.png`), { seed: id.charCodeAt(0) });
    writeFile(path.join(root, 'Annotations/a.xml'), vocXml('a.png', 16, 12, [{ name: 'RBC', box: [1, 1, 5, 5] }]));
    writeFile(path.join(root, 'Annotations/b.xml'), vocXml('b.png', 16, 12, [{ name: 'WBC', box: [1, 1, 30, 5] }]));
    const imported = capture();
    expect(await runCli(['import', root, '--name', 'cells'], imported.io)).toBe(0);
    expect(imported.out[0]).toBe('dataset 1: completed; 2 imported, 0 duplicate, 1 skipped');
    expect(imported.out.join('\n')).toMatch(/skipped\s+JPEGImages\/c\.png: no annotation file Annotations\/c\.xml/);
    expect(imported.out.join('\n')).toMatch(/WBC box .* clipped/);

    const list = capture();
    expect(await runCli(['datasets'], list.io)).toBe(0);
    expect(list.out[1]).toMatch(/^\s+1\s+cells\s+voc\s+detection\s+2\s/);

    const one = capture();
    expect(await runCli(['dataset', '1', '--json'], one.io)).toBe(0);
    const parsed = JSON.parse(one.out.join('\n'));
    expect(parsed.dataset.classes.map((c: { name: string }) => c.name)).toEqual(['RBC', 'WBC']);
    expect(parsed.statistics.imageCount).toBe(2);

    const bad = capture();
    expect(await runCli(['import', root, '--format', 'nonsense'], bad.io)).toBe(2);
    expect(await runCli(['dataset', '77'], bad.io)).toBe(1);
    expect(bad.err.join('\n')).toMatch(/dataset 77 does not exist/);
  });
});
