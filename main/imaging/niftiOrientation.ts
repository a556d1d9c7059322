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
