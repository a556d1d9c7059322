/**
 * A dataset of instance label images serves detection as well as
 * segmentation: a detection task on it is accepted by the run config check
 * and loads one box per instance, of the one class "object".
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { loadCatalogTask } from '../../../main/runs/catalogTasks';
import { validateRunConfig } from '../../../main/runs/validateRunConfig';
import { runTaskConfigSchema } from '../../../shared/runConfig';
import { maskPngBytes, writeFile, writePng } from '../../unit/importers/generatedFixtures';
import { importHere } from '../../unit/importers/importHere';
import { importWorkspaces } from '../../unit/importers/importWorkspace';
import { instanceLabelPng } from '../../unit/importers/layoutFixtures';

const setup = importWorkspaces();

describe('detection from instance masks', () => {
  it('a detection task on an instance dataset loads a box per instance; on a class-mask dataset it is refused', async () => {
    const { root, catalog } = setup();
    const side = 36;
    for (const [i, count] of [
      [1, 30],
      [2, 25],
    ] as const) {
      writePng(path.join(root, 'cells', 'img', `f${i}.png`), { width: side, height: side, seed: i });
      writeFile(path.join(root, 'cells', 'gt', `f${i}.png`), instanceLabelPng(count, side).png);
    }
    const instances = await importHere(catalog, { path: path.join(root, 'cells'), options: { splitRatios: [1, 0, 0] } });
    expect(instances.counts.imported).toBe(2);

    writePng(path.join(root, 'plain', 'images', 'a.png'), { seed: 9 });
    writeFile(path.join(root, 'plain', 'masks', 'a.png'), maskPngBytes(16, 12, 0, 1));
    const plain = await importHere(catalog, { path: path.join(root, 'plain'), options: { splitRatios: [1, 0, 0] } });

    const config = (datasetId: number) => ({ tasks: [{ name: 'cells', kind: 'detection', source: { kind: 'catalog', datasetId } }], steps: 1 });
    expect(validateRunConfig(catalog, config(instances.datasetId)).problems).toEqual([]);
    expect(validateRunConfig(catalog, config(plain.datasetId)).problems.map((p) => p.message)).toContainEqual(expect.stringMatching(/has segmentation labels, not detection/));

    const task = runTaskConfigSchema.parse({ name: 'cells', kind: 'detection', source: { kind: 'catalog', datasetId: instances.datasetId } });
    const data = await loadCatalogTask(task, 32, catalog.dataDir);
    expect(data.classNames).toEqual(['object']);
    expect(data.train.map((s) => s.boxes!.length).sort((a, b) => a - b)).toEqual([25, 30]);
    expect(data.train.every((s) => s.boxes!.every((b) => b.classId === 0))).toBe(true);
  });
});
