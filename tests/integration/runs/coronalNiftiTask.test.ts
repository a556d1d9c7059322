/**
 * A NIfTI dataset imported along the coronal axis is trained on coronal
 * slices: the training loader decodes the stored volumes with the dataset's
 * import options, as the previews and studies do. (It once decoded axial
 * slices, and failed with "has no frame N" past the last one.)
 */
import { outsideImageClass } from '../../../shared/letterbox';
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadCatalogTask } from '../../../main/runs/catalogTasks';
import { loadDatasetSamples } from '../../../main/catalog/datasetSamples';
import { runTaskConfigSchema } from '../../../shared/runConfig';
import { writeNifti } from '../../fixtures/pixels/niftiWriter';
import { writeFile } from '../../unit/importers/generatedFixtures';
import { importHere } from '../../unit/importers/importHere';
import { importWorkspaces } from '../../unit/importers/importWorkspace';

// 8 (x, right) by 6 (y, anterior) by 4 (z, superior) voxels, identity grid: RAS
const [sx, sy, sz] = [8, 6, 4];
/** the organ fills the anterior half (y >= 3), left of x = 4: in coronal slices, whole left halves of slices y = 3..5 */
const organ = (x: number, y: number) => y >= 3 && x < 4;

function volume(voxel: (x: number, y: number, z: number) => number): Uint8Array {
  const voxels = new Uint8Array(sx * sy * sz);
  for (let z = 0; z < sz; z++) for (let y = 0; y < sy; y++) for (let x = 0; x < sx; x++) voxels[x + sx * (y + sy * z)] = voxel(x, y, z);
  return gzipSync(writeNifti({ version: 1, dims: [sx, sy, sz], datatype: 'uint8', voxels }));
}

const setup = importWorkspaces();

describe('a coronally imported NIfTI dataset', () => {
  it('trains on coronal slices: one sample per y, with the label slice of the same y', async () => {
    const { root, catalog } = setup();
    writeFile(path.join(root, 'dataset.json'), JSON.stringify({ labels: { 0: 'background', 1: 'organ' }, modality: { 0: 'MR' } }));
    for (const id of ['a', 'b']) {
      writeFile(path.join(root, `imagesTr/${id}_0000.nii.gz`), volume((x, y, z) => 10 + x + 8 * z + 40 * y + (id === 'b' ? 1 : 0)));
      writeFile(path.join(root, `labelsTr/${id}.nii.gz`), volume((x, y) => (organ(x, y) ? 1 : 0)));
    }
    const imported = await importHere(catalog, { path: root, options: { niftiAxis: 'coronal', splitRatios: [1, 0, 0] } });
    expect(imported.counts.imported).toBe(2);
    // the catalog holds coronal slices: x by z pixels, sy of them per volume
    const rows = catalog.imagesWithAnnotations(imported.datasetId);
    expect(rows.map((r) => [r.width, r.height])).toEqual(Array(2 * sy).fill([sx, sz]));

    // the studies' and previews' path decodes them as stored
    const decoded = [];
    for await (const s of loadDatasetSamples(catalog, imported.datasetId)) decoded.push(s);
    expect(decoded.map((s) => [s.decoded.width, s.decoded.height])).toEqual(Array(2 * sy).fill([sx, sz]));

    // the training path too: every slice loads, with the organ exactly in the anterior ones
    const task = runTaskConfigSchema.parse({ name: 'organ', kind: 'segmentation', source: { kind: 'catalog', datasetId: imported.datasetId } });
    const data = await loadCatalogTask(task, 32, catalog.dataDir);
    expect(data.train).toHaveLength(2 * sy);
    const organSlices = data.train.filter((s) => s.mask!.some((v) => v === 1));
    expect(organSlices).toHaveLength(2 * 3);
    for (const sample of organSlices) {
      // 8 x 4 letterboxed into 32 x 32 (32 x 16 of image, 8 rows of padding above and below):
      // the left half of every image row is organ, the right half background
      for (let row = 0; row < 32; row++) {
        const line = Array.from(sample.mask!.slice(row * 32, row * 32 + 32));
        const inImage = row >= 8 && row < 24;
        expect(line).toEqual(inImage ? [...Array<number>(16).fill(1), ...Array<number>(16).fill(0)] : Array<number>(32).fill(outsideImageClass));
      }
    }
    // and the image slice is the coronal one too: intensity rises along x and z only (y is constant within a slice)
    const first = decoded[0]!.decoded;
    const values = Array.from(first.data, Number);
    expect(new Set(values).size).toBe(sx * sz);
  });
});
