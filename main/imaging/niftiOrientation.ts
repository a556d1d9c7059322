/**
 * Anatomical axis codes of a NIfTI voxel grid, read from its affine
 * (sform, else qform). Each voxel axis gets the letter of the world direction
 * it increases towards in NIfTI's RAS+ world: R/L, A/P, S/I. "RAS" means
 * i runs to the right, j to the front, k up.
 */
export type AxisCode = 'R' | 'L' | 'A' | 'P' | 'S' | 'I';

const positiveCodes: AxisCode[] = ['R', 'A', 'S'];
const negativeCodes: AxisCode[] = ['L', 'P', 'I'];

/** Codes for the three voxel axes, or null when the affine is missing or degenerate. */
export function axisCodesFromAffine(affine: ReadonlyArray<ReadonlyArray<number>>): [AxisCode, AxisCode, AxisCode] | null {
  // Greedy by magnitude, so two voxel axes never claim the same world axis.
  const candidates: Array<{ voxelAxis: number; worldAxis: number; weight: number }> = [];
  for (let voxelAxis = 0; voxelAxis < 3; voxelAxis++) {
    for (let worldAxis = 0; worldAxis < 3; worldAxis++) {
      const weight = affine[worldAxis]?.[voxelAxis];
      if (weight === undefined || !Number.isFinite(weight)) return null;
      candidates.push({ voxelAxis, worldAxis, weight });
    }
  }
  candidates.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
  const codes: Array<AxisCode | undefined> = [undefined, undefined, undefined];
  const usedWorld = new Set<number>();
  for (const { voxelAxis, worldAxis, weight } of candidates) {
    if (codes[voxelAxis] !== undefined || usedWorld.has(worldAxis) || weight === 0) continue;
    codes[voxelAxis] = (weight > 0 ? positiveCodes : negativeCodes)[worldAxis];
    usedWorld.add(worldAxis);
  }
  const [first, second, third] = codes;
  return first && second && third ? [first, second, third] : null;
}

export type SliceAxisName = 'axial' | 'coronal' | 'sagittal';

const codesOfPlane: Record<SliceAxisName, AxisCode[]> = {
  axial: ['S', 'I'],
  coronal: ['A', 'P'],
  sagittal: ['R', 'L'],
};

/** Voxel axis to step through for slices of the named plane; without orientation, assume i/j/k = R/A/S. */
export function voxelAxisForPlane(plane: SliceAxisName, codes: readonly AxisCode[] | null): number {
  const fallback = plane === 'axial' ? 2 : plane === 'coronal' ? 1 : 0;
  if (!codes) return fallback;
  const index = codes.findIndex((code) => codesOfPlane[plane].includes(code));
  return index >= 0 ? index : fallback;
}

/**
 * How 2D slices of NIfTI volumes are laid out: 'display' turns every slice to
 * one convention whatever the affine (radiological, as DICOM viewers show
 * slices: axial and coronal with the patient's right on the image's left,
 * anterior / superior at the top; sagittal with anterior on the left);
 * 'stored' keeps the voxel order of the file (datasets imported before the
 * normalisation, read as they were imported).
 */
export type NiftiInPlane = 'display' | 'stored';

const displayDirections: Record<SliceAxisName, { column: AxisCode; row: AxisCode }> = {
  axial: { column: 'L', row: 'P' },
  coronal: { column: 'L', row: 'I' },
  sagittal: { column: 'P', row: 'I' },
};

const oppositeCode: Record<AxisCode, AxisCode> = { R: 'L', L: 'R', A: 'P', P: 'A', S: 'I', I: 'S' };

export interface InPlaneLayout {
  /** voxel axis that runs along the image's columns (left to right), and along its rows (top to bottom) */
  columnAxis: number;
  rowAxis: number;
  /** read that axis backwards */
  flipColumns: boolean;
  flipRows: boolean;
  /** world direction the columns / rows increase towards, after the layout (null without an affine) */
  columnDirection: AxisCode | null;
  rowDirection: AxisCode | null;
}

/** The in-plane axes of slices along sliceAxis, turned to the display convention where the affine allows. */
export function inPlaneLayout(plane: SliceAxisName, sliceAxis: number, codes: readonly AxisCode[] | null, mode: NiftiInPlane): InPlaneLayout {
  const [first, second] = [0, 1, 2].filter((axis) => axis !== sliceAxis) as [number, number];
  const stored: InPlaneLayout = { columnAxis: first, rowAxis: second, flipColumns: false, flipRows: false, columnDirection: codes?.[first] ?? null, rowDirection: codes?.[second] ?? null };
  if (mode === 'stored' || !codes) return stored;
  const target = displayDirections[plane];
  const alongColumns = (axis: number): boolean => codes[axis] === target.column || codes[axis] === oppositeCode[target.column];
  const alongRows = (axis: number): boolean => codes[axis] === target.row || codes[axis] === oppositeCode[target.row];
  // Both in-plane axes must be the plane's two world axes (the slice axis fell back otherwise): else keep the stored layout.
  let columnAxis: number;
  if (alongColumns(first) && alongRows(second)) columnAxis = first;
  else if (alongColumns(second) && alongRows(first)) columnAxis = second;
  else return stored;
  const rowAxis = columnAxis === first ? second : first;
  const flipColumns = codes[columnAxis] !== target.column;
  const flipRows = codes[rowAxis] !== target.row;
  return { columnAxis, rowAxis, flipColumns, flipRows, columnDirection: target.column, rowDirection: target.row };
}
