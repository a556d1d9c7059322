import { describe, expect, it } from 'vitest';
import { resizeImage, resizeMaskNearest } from '../../../../main/engine/data/resize';

describe('resizeImage', () => {
  it('enlarging is bilinear on pixel centres, clamped at the border', () => {
    // row [0, 1] -> 4 pixels with centres at source 0.25, 0.75, 1.25, 1.75 -> [0, 0.25, 0.75, 1]
    expect(Array.from(resizeImage([0, 1], 2, 1, 1, 4, 1))).toEqual([0, 0.25, 0.75, 1]);
  });

  it('keeps constant images constant and preserves channels independently', () => {
    const rgb = new Uint16Array(10 * 7 * 3);
    for (let i = 0; i < rgb.length; i += 3) rgb.set([100, 40000, 7], i);
    const out = resizeImage(rgb, 10, 7, 3, 32, 32);
    for (let i = 0; i < out.length; i += 3) {
      expect(out[i]).toBeCloseTo(100, 3);
      expect(out[i + 1]).toBeCloseTo(40000, 1);
      expect(out[i + 2]).toBeCloseTo(7, 4);
    }
  });

  it('shrinking averages instead of aliasing: a 1-pixel checkerboard becomes flat grey', () => {
    const n = 128;
    const board = new Float32Array(n * n).map((_, i) => ((i % n) + Math.floor(i / n)) % 2);
    const out = resizeImage(board, n, n, 1, 32, 32);
    for (const v of out) expect(v).toBeGreaterThan(0.4);
    for (const v of out) expect(v).toBeLessThan(0.6);
  });

  it('a linear ramp stays linear inside the image when shrinking', () => {
    const ramp = Array.from({ length: 64 }, (_, x) => x);
    const out = resizeImage(ramp, 64, 1, 1, 16, 1);
    // output pixel o covers source centre (o + 0.5) * 4 - 0.5 in pixel-index units
    for (let o = 2; o < 14; o++) expect(out[o]).toBeCloseTo((o + 0.5) * 4 - 0.5, 4);
  });

  it('rejects data that do not match the stated size', () => {
    expect(() => resizeImage([1, 2, 3], 2, 2, 1, 4, 4)).toThrow(/do not form a 2x2 image/);
  });
});

describe('resizeMaskNearest', () => {
  it('never blends class ids', () => {
    const mask = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
    expect(Array.from(resizeMaskNearest(mask, 4, 4, 2, 2))).toEqual([5, 7, 13, 15]);
    const up = resizeMaskNearest([1, 2], 2, 1, 4, 2);
    expect(Array.from(up)).toEqual([1, 1, 2, 2, 1, 1, 2, 2]);
  });
});
