/**
 * NIfTI slices in the display layout: one anatomy stored three ways (RAS,
 * LAS, and permuted "ASL") gives identical slices in every plane, laid out
 * radiologically (axial/coronal: patient's right on the image's left;
 * anterior / superior at the top; sagittal: anterior on the left).
 */
import { describe, expect, it } from 'vitest';
import { decodeImageBytes, readImageHeader } from '../../../main/imaging/decodeImageFile';
import { writeNifti } from '../../fixtures/pixels/niftiWriter';

// World grid: r toward the patient's right (4), a anterior (3), s superior (2).
const [sizeR, sizeA, sizeS] = [4, 3, 2];
const anatomy = (r: number, a: number, s: number): number => r + 10 * a + 100 * s;

type Store = { name: string; dims: [number, number, number]; world: (i: number, j: number, k: number) => [number, number, number]; sform: [number[], number[], number[]] };
const stores: Store[] = [
  { name: 'ras.nii', dims: [sizeR, sizeA, sizeS], world: (i, j, k) => [i, j, k], sform: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]] },
  { name: 'las.nii', dims: [sizeR, sizeA, sizeS], world: (i, j, k) => [sizeR - 1 - i, j, k], sform: [[-1, 0, 0, 3], [0, 1, 0, 0], [0, 0, 1, 0]] },
  // i anterior, j superior, k towards the left
  { name: 'asl.nii', dims: [sizeA, sizeS, sizeR], world: (i, j, k) => [sizeR - 1 - k, i, j], sform: [[0, 0, -1, 3], [1, 0, 0, 0], [0, 1, 0, 0]] },
];

function write(store: Store): Uint8Array {
  const [di, dj, dk] = store.dims;
  const voxels: number[] = [];
  for (let k = 0; k < dk; k++) for (let j = 0; j < dj; j++) for (let i = 0; i < di; i++) voxels.push(anatomy(...store.world(i, j, k)));
  return writeNifti({ version: 1, dims: store.dims, datatype: 'int16', voxels, sform: store.sform });
}

/** The radiological view of one slice, from the anatomy itself. */
function expectedSlice(plane: 'axial' | 'coronal' | 'sagittal', at: number): { width: number; height: number; values: number[] } {
  const values: number[] = [];
  if (plane === 'axial') {
    for (let row = 0; row < sizeA; row++) for (let column = 0; column < sizeR; column++) values.push(anatomy(sizeR - 1 - column, sizeA - 1 - row, at));
    return { width: sizeR, height: sizeA, values };
  }
  if (plane === 'coronal') {
    for (let row = 0; row < sizeS; row++) for (let column = 0; column < sizeR; column++) values.push(anatomy(sizeR - 1 - column, at, sizeS - 1 - row));
    return { width: sizeR, height: sizeS, values };
  }
  for (let row = 0; row < sizeS; row++) for (let column = 0; column < sizeA; column++) values.push(anatomy(at, sizeA - 1 - column, sizeS - 1 - row));
  return { width: sizeA, height: sizeS, values };
}

describe('NIfTI slices in one display orientation whatever the affine', () => {
  it('gives RAS, LAS and permuted volumes the same axial, coronal and sagittal slices', async () => {
    for (const store of stores) {
      const bytes = write(store);
      for (const plane of ['axial', 'coronal', 'sagittal'] as const) {
        const slices = await decodeImageBytes(bytes, store.name, { niftiAxis: plane });
        const count = plane === 'axial' ? sizeS : plane === 'coronal' ? sizeA : sizeR;
        expect(slices, `${store.name} ${plane}`).toHaveLength(count);
        for (const slice of slices) {
          // Slice order follows the file's slice axis: which world position a slice is, the affine says.
          const storedLeftward = store.name !== 'ras.nii';
          const at = plane === 'sagittal' && storedLeftward ? sizeR - 1 - slice.frameIndex! : slice.frameIndex!;
          const expected = expectedSlice(plane, at);
          expect({ width: slice.width, height: slice.height }, `${store.name} ${plane} ${at}`).toEqual({ width: expected.width, height: expected.height });
          expect(Array.from(slice.data), `${store.name} ${plane} ${at}`).toEqual(expected.values);
        }
        const header = readImageHeader(bytes, store.name, { niftiAxis: plane });
        expect({ width: header.width, height: header.height }).toEqual({ width: slices[0]!.width, height: slices[0]!.height });
      }
    }
  });

  it('records the layout with each slice', async () => {
    const [ras] = await decodeImageBytes(write(stores[0]!), 'ras.nii');
    expect(ras!.metadata).toMatchObject({ orientation: 'RAS', inPlane: 'display', columnDirection: 'L', rowDirection: 'P', flippedColumns: 1, flippedRows: 1, columnAxis: 0, rowAxis: 1 });
    const [las] = await decodeImageBytes(write(stores[1]!), 'las.nii');
    expect(las!.metadata).toMatchObject({ orientation: 'LAS', columnDirection: 'L', rowDirection: 'P', flippedColumns: 0, flippedRows: 1 });
    const [asl] = await decodeImageBytes(write(stores[2]!), 'asl.nii');
    expect(asl!.metadata).toMatchObject({ orientation: 'ASL', columnDirection: 'L', rowDirection: 'P', columnAxis: 2, rowAxis: 0 });
  });

  it('keeps stored voxel order where there is no affine, and on request', async () => {
    const noAffine = writeNifti({ version: 1, dims: [2, 2, 1], datatype: 'uint8', voxels: [1, 2, 3, 4] });
    const [slice] = await decodeImageBytes(noAffine, 'plain.nii');
    expect(Array.from(slice!.data)).toEqual([1, 2, 3, 4]);
    expect(slice!.metadata).toMatchObject({ columnDirection: null, rowDirection: null, flippedColumns: 0, flippedRows: 0 });
    const [stored] = await decodeImageBytes(write(stores[0]!), 'ras.nii', { niftiInPlane: 'stored' });
    expect(Array.from(stored!.data)).toEqual([0, 1, 2].flatMap((a) => [0, 1, 2, 3].map((r) => anatomy(r, a, 0))));
    expect(stored!.metadata).toMatchObject({ inPlane: 'stored', columnDirection: 'R', rowDirection: 'A' });
  });
});
