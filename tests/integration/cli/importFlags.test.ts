/**
 * umedpt import's group and split flags on real image folders: the group key
 * comes from --group-pattern's capture group (or the parent folder), and
 * --split publisher on data without a publisher's split is refused in the
 * flag's words before anything is imported.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { runCli } from '../../../main/cli';
import { tempDir, writePng } from '../../unit/importers/generatedFixtures';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

const t = tempDir('umedpt-cli-import-flags-');
const previousHome = process.env.UMEDPT_HOME;
beforeAll(() => {
  process.env.UMEDPT_HOME = path.join(t.dir, 'home');
});
afterAll(() => {
  if (previousHome === undefined) delete process.env.UMEDPT_HOME;
  else process.env.UMEDPT_HOME = previousHome;
  t.cleanup();
});

let seed = 1;
/** class folders a/ and b/ holding images of four patients, p1..p4 */
function patientFolder(name: string, under = ''): string {
  const root = path.join(t.dir, name);
  for (const key of ['a/p1_1', 'a/p1_2', 'a/p2_1', 'b/p3_1', 'b/p3_2', 'b/p4_1']) writePng(path.join(root, under, `${key}.png`), { seed: seed++ });
  return root;
}

async function importDataset(args: string[]): Promise<number> {
  const c = capture();
  expect(await runCli(['import', ...args], c.io), c.err.join('\n')).toBe(0);
  const match = /^dataset (\d+): completed; 6 imported/.exec(c.out[0] ?? '');
  expect(match, c.out.join('\n')).not.toBeNull();
  return Number(match![1]);
}

async function datasetJson(id: number): Promise<{ dataset: { publisherSplit: boolean }; statistics: { groupCount: number } }> {
  const c = capture();
  expect(await runCli(['dataset', String(id), '--json'], c.io)).toBe(0);
  return JSON.parse(c.out.join('\n'));
}

async function datasetCount(): Promise<number> {
  const c = capture();
  expect(await runCli(['datasets', '--json', '--all'], c.io)).toBe(0);
  return (JSON.parse(c.out.join('\n')) as unknown[]).length;
}

describe('umedpt import --group-by / --group-pattern / --split', () => {
  it('--group-pattern takes the group key from its capture group', async () => {
    const id = await importDataset([patientFolder('by-pattern'), '--group-pattern', '^[^/]+/(p\\d+)_']);
    expect((await datasetJson(id)).statistics.groupCount).toBe(4);
  });

  it('--group-by parent-folder and none', async () => {
    const byFolder = await importDataset([patientFolder('by-folder'), '--group-by', 'parent-folder']);
    expect((await datasetJson(byFolder)).statistics.groupCount).toBe(2);
    const ungrouped = await importDataset([patientFolder('ungrouped'), '--group-by', 'none']);
    expect((await datasetJson(ungrouped)).statistics.groupCount).toBe(0);
  });

  it('--split publisher is refused, naming the flag, when the data has no split of its own; accepted when it has', async () => {
    const before = await datasetCount();
    const c = capture();
    const root = patientFolder('no-split');
    expect(await runCli(['import', root, '--split', 'publisher'], c.io)).toBe(2);
    expect(c.err.join('\n')).toBe(`umedpt import: --split publisher: ${root} (image-folder) has no publisher split; use --split auto or --split generated`);
    expect(await datasetCount()).toBe(before);

    const split = path.join(t.dir, 'with-split');
    for (const name of ['train', 'val', 'test']) for (const cls of ['a', 'b']) writePng(path.join(split, name, cls, `${name}-${cls}.png`), { seed: seed++ });
    const ok = capture();
    expect(await runCli(['import', split, '--split', 'publisher'], ok.io), ok.err.join('\n')).toBe(0);
    const id = Number(/^dataset (\d+): completed; 6 imported/.exec(ok.out[0] ?? '')?.[1]);
    expect((await datasetJson(id)).dataset.publisherSplit).toBe(true);
  });
});
