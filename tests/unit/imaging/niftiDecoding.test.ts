import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeImageBytes, readImageHeader } from '../../../main/imaging/decodeImageFile';
import { writeNifti } from '../../fixtures/pixels/niftiWriter';
import { niftiJsMinimal } from '../../fixtures/pixels/packageSamples';

/** Voxel value that encodes its own position, so any slicing mistake shows. */
const code = (i: number, j: number, k: number, t = 0): number => i + 10 * j + 100 * k + 1000 * t;

function volume(sizeI: number, sizeJ: number, sizeK: number, sizeT = 1): number[] {
  const values: number[] = [];
  for (let t = 0; t < sizeT; t++) for (let k = 0; k < sizeK; k++) for (let j = 0; j < sizeJ; j++) for (let i = 0; i < sizeI; i++) values.push(code(i, j, k, t));
  return values;
}

describe('NIfTI', () => {
  // 4 x 3 x 2 voxels, i towards the left (negative x), j anterior, k superior: "LAS".
  const las = writeNifti({ version: 1, dims: [4, 3, 2], datatype: 'int16', voxels: volume(4, 3, 2), pixdim: [0.5, 0.75, 2], sform: [[-0.5, 0, 0, 10], [0, 0.75, 0, -5], [0, 0, 2, 3]] });

  // Stored voxel order here (niftiInPlane 'stored'); niftiInPlane.test.ts covers the display layout.
  it('cuts axial, coronal and sagittal slices along the right voxel axes', async () => {
    const axial = await decodeImageBytes(las, 'las.nii', { niftiAxis: 'axial', niftiInPlane: 'stored' });
    expect(axial).toHaveLength(2);
    expect(axial[1]).toMatchObject({ width: 4, height: 3, channels: 1, bitDepth: 16, frameIndex: 1 });
    expect(axial[1]!.data).toBeInstanceOf(Int16Array);
    expect(Array.from(axial[1]!.data)).toEqual([0, 1, 2].flatMap((j) => [0, 1, 2, 3].map((i) => code(i, j, 1))));
    expect(axial[1]!.metadata).toMatchObject({ orientation: 'LAS', sliceAxis: 2, sliceIndex: 1, columnDirection: 'L', rowDirection: 'A', pixelSpacing: [0.5, 0.75], sliceThickness: 2 });
    expect(axial[1]!.metadata?.affine).toEqual([-0.5, 0, 0, 10, 0, 0.75, 0, -5, 0, 0, 2, 3]);

    const coronal = await decodeImageBytes(las, 'las.nii', { niftiAxis: 'coronal', niftiInPlane: 'stored' });
    expect(coronal).toHaveLength(3);
    expect(Array.from(coronal[2]!.data)).toEqual([0, 1].flatMap((k) => [0, 1, 2, 3].map((i) => code(i, 2, k))));

    const sagittal = await decodeImageBytes(las, 'las.nii', { niftiAxis: 'sagittal', niftiInPlane: 'stored' });
    expect(sagittal).toHaveLength(4);
    expect(sagittal[3]).toMatchObject({ width: 3, height: 2 });
    expect(Array.from(sagittal[3]!.data)).toEqual([0, 1].flatMap((k) => [0, 1, 2].map((j) => code(3, j, k))));

    expect(readImageHeader(las, 'las.nii', { niftiInPlane: 'stored' })).toMatchObject({ format: 'nifti', width: 4, height: 3, frames: 2, bitDepth: 16 });
  });

  it('finds the axial axis from a permuted affine rather than assuming k', async () => {
    // i runs superior, j to the left, k anterior.
    const permuted = writeNifti({ version: 1, dims: [2, 3, 4], datatype: 'uint8', voxels: volume(2, 3, 4).map((value) => value % 256), sform: [[0, -1, 0, 0], [0, 0, 3, 0], [2, 0, 0, 0]] });
    const axial = await decodeImageBytes(permuted, 'permuted.nii', { niftiInPlane: 'stored' });
    expect(axial).toHaveLength(2);
    expect(axial[0]!.metadata).toMatchObject({ orientation: 'SLA', sliceAxis: 0 });
    expect(axial[1]).toMatchObject({ width: 3, height: 4 });
    expect(Array.from(axial[1]!.data)).toEqual([0, 1, 2, 3].flatMap((k) => [0, 1, 2].map((j) => code(1, j, k) % 256)));
    expect(readImageHeader(permuted, 'permuted.nii', { niftiInPlane: 'stored' })).toMatchObject({ width: 3, height: 4, frames: 2 });
  });

  it('reads orientation from the qform when there is no sform (qfac -1 flips k)', async () => {
    const qform = writeNifti({ version: 1, dims: [2, 2, 2], datatype: 'uint8', voxels: volume(2, 2, 2), qform: { b: 0, c: 0, d: 0, qfac: -1 } });
    const slices = await decodeImageBytes(qform, 'qform.nii');
    expect(slices[0]!.metadata).toMatchObject({ orientation: 'RAI', orientationSource: 'qform' });
  });

  it('applies scl_slope/scl_inter: integers stay integer, fractions become Float32', async () => {
    const integral = await decodeImageBytes(writeNifti({ version: 1, dims: [2, 1, 1], datatype: 'int16', voxels: [3, -4], sclSlope: 2, sclInter: 5 }), 'scaled.nii');
    expect(integral[0]!.data).toBeInstanceOf(Int16Array);
    expect(Array.from(integral[0]!.data)).toEqual([11, -3]);
    const fractional = await decodeImageBytes(writeNifti({ version: 1, dims: [2, 1, 1], datatype: 'uint16', voxels: [3, 4], sclSlope: 0.5, sclInter: 0 }), 'half.nii');
    expect(fractional[0]!.data).toBeInstanceOf(Float32Array);
    expect(Array.from(fractional[0]!.data)).toEqual([1.5, 2]);
    expect(fractional[0]!.metadata).toMatchObject({ rescaleSlope: 0.5, rescaleIntercept: 0 });
  });

  it('decodes a gzip-compressed big-endian NIfTI-2 4D volume, every time point in turn', async () => {
    const values = volume(3, 2, 2, 2);
    const bytes = gzipSync(writeNifti({ version: 2, littleEndian: false, dims: [3, 2, 2, 2], datatype: 'float32', voxels: values.map((value) => value + 0.25) }));
    const header = readImageHeader(bytes, 'fmri.nii.gz');
    expect(header).toMatchObject({ format: 'nifti', width: 3, height: 2, frames: 4, bitDepth: 32 });
    const slices = await decodeImageBytes(bytes, 'fmri.nii.gz');
    expect(slices).toHaveLength(4);
    expect(slices[3]!.metadata).toMatchObject({ niftiVersion: 2, timeIndex: 1, sliceIndex: 1, timePoints: 2, orientation: null });
    expect(Array.from(slices[3]!.data)).toEqual([0, 1].flatMap((j) => [0, 1, 2].map((i) => code(i, j, 1, 1) + 0.25)));
  });

  it('names the file for truncated voxels, a broken gzip stream and unsupported data types', async () => {
    await expect(decodeImageBytes(las.subarray(0, las.length - 10), 'cut.nii')).rejects.toThrow(/^cut\.nii: NIfTI voxel data is truncated/);
    const gz = gzipSync(las);
    await expect(decodeImageBytes(gz.subarray(0, gz.length - 20), 'cut.nii.gz')).rejects.toThrow(/^cut\.nii\.gz: gzip stream is corrupt or truncated/);
    const complex = writeNifti({ version: 1, dims: [1, 1, 1], datatype: 'complex64', voxels: [1, 2] });
    await expect(decodeImageBytes(complex, 'complex.nii')).rejects.toThrow('complex.nii: NIfTI data type complex64 is not supported');
  });

  const minimal = niftiJsMinimal();
  it.skipIf(!minimal)("reads nifti-js's big-endian minimal.nii sample", async () => {
    const bytes = new Uint8Array(readFileSync(minimal!));
    const header = readImageHeader(bytes, 'minimal.nii');
    const slices = await decodeImageBytes(bytes, 'minimal.nii');
    expect(slices).toHaveLength(header.frames);
    expect(slices[0]).toMatchObject({ width: header.width, height: header.height });
    // Header fields parsed in the wrong byte order would give absurd sizes.
    expect(header.width * header.height * header.frames).toBeLessThan(1_000_000);
  });
});
