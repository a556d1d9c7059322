/**
 * One microscopy-like scene: cells of three types on a noisy background with
 * uneven illumination, rendered together with its class mask and the tight
 * box of every cell. Types differ clearly in shape, size, texture and
 * intensity so a small CNN can tell them apart at 64x64:
 *   0 round      smooth bright disc (0.85-0.95), radius 6-9 px (at 64 px)
 *   1 elongated  thin ellipse, semi-axes 10-12 x 3.5-5 px, striped, medium grey (0.5-0.58)
 *   2 spiky      dim star-shaped body (0.27-0.32), radius 8-11 px, with a bright round nucleus
 * on a dark background (0.1). Illumination varies by about +-15 % per image,
 * so the type intensity bands stay apart within and across images.
 */
import { type PixelBox } from './taskSample';
import { type SeededRandom } from '../../../shared/seededRandom';

export const CELL_TYPE_NAMES = ['round', 'elongated', 'spiky'] as const;
export type CellTypeId = 0 | 1 | 2;

export interface SceneAppearance {
  /** standard deviation of the additive Gaussian noise (intensity units, 0..1 scale) */
  noise: number;
  /** strength of the multiplicative illumination gradient (0 = even light) */
  illumination: number;
  /** mean background level */
  background: number;
  /** brightfield look: dark cells on a bright background (an out-of-domain appearance) */
  invert: boolean;
}

export const DEFAULT_APPEARANCE: SceneAppearance = { noise: 0.04, illumination: 0.15, background: 0.1, invert: false };

export interface SceneCell {
  type: CellTypeId;
  /** tight box around the cell's pixels in the mask (classId = type) */
  box: PixelBox;
}

export interface SyntheticScene {
  size: number;
  /** size*size grey intensities in [0, 1] */
  grey: Float32Array;
  /** size*size: 0 background, 1 + cell type inside a cell */
  mask: Uint8Array;
  cells: SceneCell[];
}

interface PlannedCell {
  type: CellTypeId;
  cx: number;
  cy: number;
  /** radius of a circle containing the whole cell */
  extent: number;
  draw: (dx: number, dy: number) => number | null; // intensity inside, null outside
}

function planCell(type: CellTypeId, scale: number, rng: SeededRandom): Omit<PlannedCell, 'cx' | 'cy'> {
  if (type === 0) {
    const r = rng.uniform(6, 9) * scale;
    const peak = rng.uniform(0.85, 0.95);
    return {
      type,
      extent: r,
      draw: (dx, dy) => {
        const d2 = (dx * dx + dy * dy) / (r * r);
        return d2 <= 1 ? peak * (1 - 0.15 * d2) : null;
      },
    };
  }
  if (type === 1) {
    const a = rng.uniform(10, 12) * scale;
    const b = rng.uniform(3.5, 5) * scale;
    const angle = rng.uniform(0, Math.PI);
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    const level = rng.uniform(0.5, 0.58);
    const period = 4 * scale;
    const phase = rng.uniform(0, 2 * Math.PI);
    return {
      type,
      extent: a,
      draw: (dx, dy) => {
        const u = dx * cos + dy * sin;
        const v = -dx * sin + dy * cos;
        if ((u * u) / (a * a) + (v * v) / (b * b) > 1) return null;
        return level + 0.06 * Math.sin((2 * Math.PI * u) / period + phase);
      },
    };
  }
  const R = rng.uniform(8, 11) * scale;
  const spikes = rng.int(5, 7);
  const turn = rng.uniform(0, 2 * Math.PI);
  const nucleus = rng.uniform(2.5, 3.5) * scale;
  const body = rng.uniform(0.27, 0.32);
  return {
    type,
    extent: R,
    draw: (dx, dy) => {
      const d = Math.sqrt(dx * dx + dy * dy);
      if (d <= nucleus) return 0.95;
      const edge = R * (0.7 + 0.3 * Math.cos(spikes * Math.atan2(dy, dx) + turn));
      if (d > edge) return null;
      // granular cytoplasm: a deterministic speckle from the pixel offset
      const speckle = Math.sin(dx * 12.9898 + dy * 78.233) * 43758.5453;
      return body + 0.08 * (speckle - Math.floor(speckle) - 0.5);
    },
  };
}

/**
 * Places the requested cell types without overlap (rejection sampling).
 * Returns null when they do not fit; the caller draws a new composition.
 */
function placeCells(types: CellTypeId[], size: number, rng: SeededRandom): PlannedCell[] | null {
  const scale = size / 64;
  const placed: PlannedCell[] = [];
  for (const type of types) {
    const plan = planCell(type, scale, rng);
    const margin = Math.ceil(plan.extent) + 1;
    let ok = false;
    for (let attempt = 0; attempt < 100 && !ok; attempt++) {
      const cx = rng.uniform(margin, size - margin);
      const cy = rng.uniform(margin, size - margin);
      ok = placed.every((p) => Math.hypot(p.cx - cx, p.cy - cy) >= p.extent + plan.extent + 2);
      if (ok) placed.push({ ...plan, cx, cy });
    }
    if (!ok) return null;
  }
  return placed;
}

function illuminationField(size: number, strength: number, rng: SeededRandom): Float32Array {
  const field = new Float32Array(size * size);
  const angle = rng.uniform(0, 2 * Math.PI);
  const gx = Math.cos(angle) * strength;
  const gy = Math.sin(angle) * strength;
  const hx = rng.uniform(0, size);
  const hy = rng.uniform(0, size);
  const hr = size * rng.uniform(0.3, 0.6);
  const hot = strength * rng.uniform(0, 0.7);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const ramp = gx * (x / size - 0.5) + gy * (y / size - 0.5);
      const spot = hot * Math.exp(-((x - hx) ** 2 + (y - hy) ** 2) / (2 * hr * hr));
      field[y * size + x] = 1 + ramp + spot;
    }
  }
  return field;
}

/** Renders one scene containing exactly the given cell types, or null if they do not fit. */
export function renderScene(
  types: CellTypeId[],
  size: number,
  rng: SeededRandom,
  appearance: SceneAppearance = DEFAULT_APPEARANCE,
): SyntheticScene | null {
  const planned = placeCells(types, size, rng);
  if (!planned) return null;
  const n = size * size;
  const grey = new Float32Array(n);
  const mask = new Uint8Array(n);
  const instance = new Int16Array(n).fill(-1);
  const light = illuminationField(size, appearance.illumination, rng);

  // background with a faint low-frequency texture
  const fx = rng.uniform(0.05, 0.15);
  const fy = rng.uniform(0.05, 0.15);
  const ph = rng.uniform(0, 2 * Math.PI);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      grey[y * size + x] = appearance.background + 0.03 * Math.sin(fx * x + fy * y + ph);
    }
  }
  planned.forEach((cell, index) => {
    const r = Math.ceil(cell.extent) + 1;
    const x0 = Math.max(0, Math.floor(cell.cx) - r);
    const x1 = Math.min(size - 1, Math.floor(cell.cx) + r);
    const y0 = Math.max(0, Math.floor(cell.cy) - r);
    const y1 = Math.min(size - 1, Math.floor(cell.cy) + r);
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const v = cell.draw(x + 0.5 - cell.cx, y + 0.5 - cell.cy);
        if (v === null) continue;
        const i = y * size + x;
        grey[i] = v;
        mask[i] = cell.type + 1;
        instance[i] = index;
      }
    }
  });
  for (let i = 0; i < n; i++) {
    let v = grey[i]! * light[i]!;
    if (appearance.invert) v = 1 - v;
    v += appearance.noise * rng.normal();
    grey[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }

  const cells: SceneCell[] = planned.map((cell, index) => ({ type: cell.type, box: instanceBox(instance, size, index, cell.type) }));
  // A cell is never empty (its centre pixel is always inside), so every box is real.
  return { size, grey, mask, cells };
}

function instanceBox(instance: Int16Array, size: number, index: number, classId: number): PixelBox {
  let minX = size;
  let minY = size;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (instance[y * size + x] !== index) continue;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  return { x: minX, y: minY, w: maxX - minX + 1, h: maxY - minY + 1, classId };
}
