/**
 * Screenshots for the README, made small: the browser's RGBA PNG becomes an
 * indexed PNG with at most 256 colours. The palette is the most frequent
 * colours at 5 bits per channel (UI screenshots are mostly flat colours);
 * every pixel takes its nearest palette colour.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decode, encode } from 'fast-png';

type Rgb = [number, number, number];

function key15(r: number, g: number, b: number): number {
  return ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
}

export function paletteOf(rgba: Uint8Array | Uint8ClampedArray, channels: number, maxColours = 256): Rgb[] {
  const counts = new Map<number, { n: number; r: number; g: number; b: number }>();
  for (let i = 0; i < rgba.length; i += channels) {
    const k = key15(rgba[i]!, rgba[i + 1]!, rgba[i + 2]!);
    const c = counts.get(k);
    if (c) {
      c.n++;
      c.r += rgba[i]!;
      c.g += rgba[i + 1]!;
      c.b += rgba[i + 2]!;
    } else counts.set(k, { n: 1, r: rgba[i]!, g: rgba[i + 1]!, b: rgba[i + 2]! });
  }
  return [...counts.values()]
    .sort((a, b) => b.n - a.n)
    .slice(0, maxColours)
    .map((c) => [Math.round(c.r / c.n), Math.round(c.g / c.n), Math.round(c.b / c.n)]);
}

/** Indexed PNG bytes of an RGB(A) image. */
export function toIndexedPng(width: number, height: number, rgba: Uint8Array | Uint8ClampedArray, channels: number): Uint8Array {
  const palette = paletteOf(rgba, channels);
  const nearest = new Map<number, number>();
  const indices = new Uint8Array(width * height);
  for (let p = 0, i = 0; p < indices.length; p++, i += channels) {
    const r = rgba[i]!;
    const g = rgba[i + 1]!;
    const b = rgba[i + 2]!;
    const k = key15(r, g, b);
    let best = nearest.get(k);
    if (best === undefined) {
      let bestDistance = Infinity;
      best = 0;
      for (let c = 0; c < palette.length; c++) {
        const [pr, pg, pb] = palette[c]!;
        const d = (pr - r) ** 2 * 3 + (pg - g) ** 2 * 4 + (pb - b) ** 2 * 2;
        if (d < bestDistance) {
          bestDistance = d;
          best = c;
        }
      }
      nearest.set(k, best);
    }
    indices[p] = best;
  }
  return encode({ width, height, data: indices, channels: 1, depth: 8, palette });
}

/** Writes `png` (a browser screenshot) as an indexed PNG to docs/screenshots/<name>.png. */
export function writeDocsScreenshot(repoRoot: string, name: string, png: Uint8Array): string {
  const image = decode(png);
  if (image.depth !== 8) throw new Error(`${name}: expected an 8-bit screenshot, got ${image.depth}-bit`);
  const dir = path.join(repoRoot, 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  writeFileSync(file, toIndexedPng(image.width, image.height, image.data as Uint8Array, image.channels));
  return file;
}
