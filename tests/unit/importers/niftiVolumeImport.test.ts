/**
 * nnU-Net with real NIfTI volumes written in code: each image volume is one
 * stored file and one catalog row per axial slice, its label volume one mask
 * per slice, and loadDatasetSamples gives slice and mask back in step.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadDatasetSamples } from '../../../main/catalog/datasetSamples';
import { importHere, reportOf } from './importHere';
import { writeFile } from './generatedFixtures';
import { importWorkspaces } from './importWorkspace';

/** A minimal NIfTI-1 (.nii) volume of uint8 voxels, x fastest, no orientation (identity grid). */
function niftiBytes(sx: number, sy: number, sz: number, voxel: (x: number, y: number, z: number) => number): Uint8Array {
  const header = new DataView(new ArrayBuffer(352));
  header.setInt32(0, 348, true);
  const dims = [3, sx, sy, sz, 1, 1, 1, 1];
  dims.forEach((d, i) => header.setInt16(40 + i * 2, d, true));
  header.setInt16(70, 2, true); // datatype uint8
  header.setInt16(72, 8, true); // bitpix
  [1, 1, 1, 1, 1, 1, 1, 1].forEach((p, i) => header.setFloat32(76 + i * 4, p, true));
  header.setFloat32(108, 352, true); // vox_offset
  header.setFloat32(112, 1, true); // scl_slope
  new Uint8Array(header.buffer).set([0x6e, 0x2b, 0x31, 0], 344); // "n+1\0"
  const out = new Uint8Array(352 + sx * sy * sz);
  out.set(new Uint8Array(header.buffer), 0);
  for (let z = 0; z < sz; z++) for (let y = 0; y < sy; y++) for (let x = 0; x < sx; x++) out[352 + x + sx * (y + sy * z)] = voxel(x, y, z);
  return out;
}

const setup = importWorkspaces();

describe('nnU-Net with NIfTI volumes', () => {
  it('imports one row per slice with the matching label slice, and refuses a label volume of another shape', async () => {
    const { root, catalog } = setup();
    writeFile(path.join(root, 'dataset.json'), JSON.stringify({ labels: { 0: 'background', 1: 'organ' }, modality: { 0: 'MR' } }));
    // the organ occupies slice z >= 2, left half
    for (const id of ['a', 'b']) {
      writeFile(path.join(root, `imagesTr/${id}_0000.nii.gz`), gzipSync(niftiBytes(8, 6, 4, (x, y, z) => x + y * 8 + z * 48 + (id === 'b' ? 1 : 0))));
      writeFile(path.join(root, `labelsTr/${id}.nii.gz`), gzipSync(niftiBytes(8, 6, 4, (x, _y, z) => (z >= 2 && x < 4 ? 1 : 0))));
    }
    writeFile(path.join(root, 'imagesTr/c_0000.nii'), niftiBytes(8, 6, 4, () => 3));
    writeFile(path.join(root, 'labelsTr/c.nii'), niftiBytes(8, 6, 3, () => 0));
    const result = await importHere(catalog, { path: root, options: { splitRatios: [1, 0, 0] } });
    expect(result.counts).toEqual({ imported: 2, duplicate: 0, skipped: 1 });
    expect(reportOf(result, 'imagesTr/c_0000.nii').reason).toBe('mask labelsTr/c.nii has 3 frames, the image 4');
    expect(reportOf(result, 'imagesTr/a_0000.nii.gz').images).toBe(4);
    const images = catalog.imagesWithAnnotations(result.datasetId);
    expect(images).toHaveLength(8);
    const a = images.filter((i) => i.sourcePath === 'imagesTr/a_0000.nii.gz');
    expect(new Set(a.map((i) => i.sha256)).size).toBe(1);
    expect(a.map((i) => [i.width, i.height])).toEqual(Array(4).fill([8, 6]));
    expect(a.every((i) => i.group === 'a')).toBe(true);
    // organ present only in the label slices z >= 2
    expect(catalog.listImages({ datasetId: result.datasetId, classId: 1 }).total).toBe(4);
    const samples = [];
    for await (const s of loadDatasetSamples(catalog, result.datasetId)) samples.push(s);
    expect(samples).toHaveLength(8);
    for (const s of samples) {
      const organPixels = s.mask!.data.reduce((n, v) => n + v, 0);
      expect(s.mask!.width).toBe(s.decoded.width);
      expect([0, 24]).toContain(organPixels);
      // the image slice and its label slice are the same z: voxel values encode z
      const z = Math.floor(Math.min(...Array.from(s.decoded.data, Number)) / 48);
      expect(organPixels > 0, `slice z=${z}`).toBe(z >= 2);
    }
    expect(samples.filter((s) => s.mask!.data.some((v) => v === 1))).toHaveLength(4);
  });
});
