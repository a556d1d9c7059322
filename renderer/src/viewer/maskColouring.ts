import { outsideImageClass } from '../../../shared/letterbox';
import { isBackgroundName } from '../../../shared/classRoles';

export type Rgb = readonly [number, number, number];

/** Distinct, colour-blind-aware hues (Okabe-Ito first, then Tableau-like) for class ids. */
const basePalette: readonly Rgb[] = [
  [230, 159, 0],
  [86, 180, 233],
  [0, 158, 115],
  [240, 228, 66],
  [0, 114, 178],
  [213, 94, 0],
  [204, 121, 167],
  [148, 103, 189],
  [140, 86, 75],
  [23, 190, 207],
  [188, 189, 34],
  [214, 39, 40],
];

/** Class id -> colour; ids past the palette get golden-angle hues so neighbours still differ. */
export function classColour(classId: number): Rgb {
  const base = basePalette[classId % basePalette.length];
  if (classId < basePalette.length && base) return base;
  const hue = (classId * 137.508) % 360;
  return hslToRgb(hue, 0.65, 0.55);
}

export function hslToRgb(h: number, s: number, l: number): Rgb {
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs(((h / 60) % 2) - 1));
  const m = l - c / 2;
  const [r, g, b] = h < 60 ? [c, x, 0] : h < 120 ? [x, c, 0] : h < 180 ? [0, c, x] : h < 240 ? [0, x, c] : h < 300 ? [x, 0, c] : [c, 0, x];
  return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)];
}

export function cssColour(rgb: Rgb, alpha = 1): string {
  return alpha >= 1 ? `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})` : `rgba(${rgb[0]}, ${rgb[1]}, ${rgb[2]}, ${alpha})`;
}

/**
 * Colours a class-id mask into RGBA `target`. `source` holds one class id
 * every `stride` bytes: 4 for the RGBA a canvas returns for a grey PNG of
 * class ids (the id in the red channel), 1 for raw class-id bytes. Pixels of
 * hidden classes and outsideImageClass become transparent. Returns the pixel count per class id.
 */
export function colouriseClassMask(source: Uint8ClampedArray | Uint8Array, visible: (classId: number) => boolean, target: Uint8ClampedArray, stride = 4): Map<number, number> {
  const counts = new Map<number, number>();
  const colourCache = new Map<number, Rgb | null>();
  for (let p = 0, i = 0; p < source.length; p += stride, i += 4) {
    const id = source[p]!;
    if (id === outsideImageClass) {
      // outside the image or its valid region: no class, not drawn, not counted
      target[i + 3] = 0;
      continue;
    }
    counts.set(id, (counts.get(id) ?? 0) + 1);
    let colour = colourCache.get(id);
    if (colour === undefined) {
      colour = visible(id) ? classColour(id) : null;
      colourCache.set(id, colour);
    }
    if (colour) {
      target[i] = colour[0];
      target[i + 1] = colour[1];
      target[i + 2] = colour[2];
      target[i + 3] = 255;
    } else target[i + 3] = 0;
  }
  return counts;
}

/** Background is not drawn by default: a class named like it, or class 0 when it has no name. */
export function hiddenByDefault(classId: number, name: string | undefined): boolean {
  if (name === undefined) return classId === 0;
  return isBackgroundName(name);
}
