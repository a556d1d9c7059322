/** A source imported again: refused by default; an update brings in new files and files (or masks) that changed, in place. */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { buildImportPlan } from '../../../main/importers/buildImportPlan';
import { datasetForPlan, runImport, SourceAlreadyImported } from '../../../main/importers/importRunner';
import { importOptionsSchema } from '../../../shared/api/import';
import { importHere } from './importHere';
import { maskPngBytes, writeFile, writePng } from './generatedFixtures';
import { importWorkspaces } from './importWorkspace';

const setup = importWorkspaces();
const options = importOptionsSchema.parse({});

describe('importing a source again', () => {
  it('refuses by default; update replaces a changed mask and adds a new pair, leaving the rest', async () => {
    const { root, catalog } = setup();
    for (let i = 0; i < 3; i++) {
      writePng(path.join(root, 'images', `${i}.png`), { seed: i });
      writeFile(path.join(root, 'masks', `${i}.png`), maskPngBytes(16, 12, 0, 1));
    }
    const first = await importHere(catalog, { path: root });
    expect(first.counts.imported).toBe(3);

    const again = await buildImportPlan({ path: root });
    expect(() => datasetForPlan(catalog, again, options, true, 'refuse')).toThrow(SourceAlreadyImported);
    expect(() => datasetForPlan(catalog, again, options, true, 'refuse')).toThrow(/in the catalog already as dataset \d+ \("src"\)/);

    // a corrected mask for 1.png, and a new pair
    writeFile(path.join(root, 'masks', '1.png'), maskPngBytes(16, 12, 1, 0));
    writePng(path.join(root, 'images', '3.png'), { seed: 3 });
    writeFile(path.join(root, 'masks', '3.png'), maskPngBytes(16, 12, 0, 1));
    const plan = await buildImportPlan({ path: root });
    const target = datasetForPlan(catalog, plan, options, true, 'update');
    expect(target).toEqual({ datasetId: first.datasetId, resumed: true, updating: true });
    const before = catalog.imagesWithAnnotations(first.datasetId).find((i) => i.sourcePath === 'images/1.png')!;
    const result = await runImport(catalog, plan, target.datasetId, options, { updating: true });
    expect(result.counts).toEqual({ imported: 2, duplicate: 2, skipped: 0 });
    expect(result.files.find((f) => f.path === 'images/1.png')?.warnings).toEqual(['changed since it was imported: replaced']);
    expect(result.files.find((f) => f.path === 'images/0.png')?.reason).toBe('unchanged since it was imported');
    const after = catalog.imagesWithAnnotations(first.datasetId);
    expect(after).toHaveLength(4);
    const replaced = after.find((i) => i.sourcePath === 'images/1.png')!;
    expect(replaced.mask!.sha256).not.toBe(before.mask!.sha256);
    expect(catalog.listDatasets({ includeDeleted: true })).toHaveLength(1);
  });
});
