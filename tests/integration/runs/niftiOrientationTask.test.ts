/**
 * An LAS and an RAS volume of the same anatomy in one dataset train with the
 * same left-right direction: the import lays NIfTI slices out in the display
 * orientation, records that in the dataset's options, and the one catalog ->
 * samples path (DatasetSampleReader) reads them back the same way. A dataset
 * imported before that (no niftiInPlane in its options) is read in stored
 * voxel order, as it was imported.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { letterbox, outsideImageClass } from '../../../shared/letterbox';
import { DatasetSampleReader } from '../../../main/catalog/datasetSamples';
import { loadCatalogTask } from '../../../main/runs/catalogTasks';
import { runTaskConfigSchema } from '../../../shared/runConfig';
import { writeNifti } from '../../fixtures/pixels/niftiWriter';
import { writeFile } from '../../unit/importers/generatedFixtures';
import { importHere } from '../../unit/importers/importHere';
import { importWorkspaces } from '../../unit/importers/importWorkspace';

// 8 voxels right-left, 6 anterior-posterior, 4 inferior-superior; the organ is on the patient's left (r < 4).
const [sizeR, sizeA, sizeS] = [8, 6, 4];
const organ = (r: number): boolean => r < 4;

/** i runs to the right (RAS) or to the left (LAS); the voxel at i holds world column r. */
function volume(leftward: boolean, value: (r: number, a: number, s: number) => number): Uint8Array {
  const voxels = new Uint8Array(sizeR * sizeA * sizeS);
  for (let s = 0; s < sizeS; s++) for (let a = 0; a < sizeA; a++) for (let i = 0; i < sizeR; i++) voxels[i + sizeR * (a + sizeA * s)] = value(leftward ? sizeR - 1 - i : i, a, s);
  const sform: [number[], number[], number[]] = [[leftward ? -1 : 1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]];
  return writeNifti({ version: 1, dims: [sizeR, sizeA, sizeS], datatype: 'uint8', voxels, sform });
}

const setup = importWorkspaces();

describe('NIfTI volumes with different affines in one dataset', () => {
  it('train with one left-right direction, and older datasets read as they were imported', async () => {
    const { root, catalog } = setup();
    writeFile(path.join(root, 'dataset.json'), JSON.stringify({ labels: { 0: 'background', 1: 'organ' }, modality: { 0: 'MR' } }));
    for (const [id, leftward] of [['ras', false], ['las', true]] as const) {
      writeFile(path.join(root, `imagesTr/${id}_0000.nii`), volume(leftward, (r, a, s) => 10 + r + 8 * a + 50 * s));
      writeFile(path.join(root, `labelsTr/${id}.nii`), volume(leftward, (r) => (organ(r) ? 1 : 0)));
    }
    const imported = await importHere(catalog, { path: root, options: { splitRatios: [1, 0, 0] } });
    expect(imported.counts.imported).toBe(2);
    expect(catalog.getDataset(imported.datasetId)!.options).toMatchObject({ niftiAxis: 'axial', niftiInPlane: 'display' });

    const task = runTaskConfigSchema.parse({ name: 'organ', kind: 'segmentation', source: { kind: 'catalog', datasetId: imported.datasetId } });
    const data = await loadCatalogTask(task, 32, catalog.dataDir);
    expect(data.train).toHaveLength(2 * sizeS);
    // an 8 x 6 slice letterboxed into 32 px: the rows above and below the image are padding (not scored)
    const fit = letterbox(sizeR, sizeA, 32);
    for (const sample of data.train) {
      // radiological: the patient's left (the organ) on the image's right half, in every slice of both volumes
      for (let row = 0; row < 32; row++) {
        const inside = row >= fit.offsetY && row < fit.offsetY + fit.contentHeight;
        const expected = inside ? [...Array<number>(16).fill(0), ...Array<number>(16).fill(1)] : Array<number>(32).fill(outsideImageClass);
        expect(Array.from(sample.mask!.slice(row * 32, row * 32 + 32)), `row ${row}`).toEqual(expected);
      }
    }

    const reader = DatasetSampleReader.open(catalog, imported.datasetId);
    const byVolume = new Map<string, number[][]>();
    for (const row of catalog.imagesWithAnnotations(imported.datasetId)) {
      const decoded = await reader.frame(row);
      const key = row.sourcePath.includes('las') ? 'las' : 'ras';
      byVolume.set(key, [...(byVolume.get(key) ?? []), Array.from(decoded.data, Number)]);
    }
    expect(byVolume.get('las')).toEqual(byVolume.get('ras'));

    // A dataset from before the normalisation: its options do not say niftiInPlane, so slices come in stored voxel order.
    const options = { ...catalog.getDataset(imported.datasetId)!.options };
    delete options.niftiInPlane;
    catalog.db.prepare('UPDATE datasets SET options = ? WHERE id = ?').run(JSON.stringify(options), imported.datasetId);
    const older = DatasetSampleReader.open(catalog, imported.datasetId);
    expect(older.decodeOptions).toMatchObject({ niftiInPlane: 'stored' });
    const firstRow = (volumeName: string) => catalog.imagesWithAnnotations(imported.datasetId).find((row) => row.sourcePath.includes(volumeName) && row.frameIndex === 0)!;
    const storedRas = Array.from((await older.frame(firstRow('ras'))).data, Number);
    const storedLas = Array.from((await older.frame(firstRow('las'))).data, Number);
    expect(storedRas.slice(0, sizeR)).toEqual([10, 11, 12, 13, 14, 15, 16, 17]);
    expect(storedLas.slice(0, sizeR)).toEqual([17, 16, 15, 14, 13, 12, 11, 10]);
  });
});
