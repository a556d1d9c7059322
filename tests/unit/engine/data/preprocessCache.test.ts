import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type PreprocessSource,
  type SourceSample,
  decodePreprocessed,
  encodePreprocessed,
  fullRangeWindow,
  loadOrBuildPreprocessed,
  preprocessCacheKey,
  preprocessSample,
} from '../../../../main/engine/data/preprocessCache';
import { outsideImageClass } from '../../../../shared/letterbox';

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'umedpt-cache-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** 16-bit grey 96x80 sources with a mask, a box and a label; values above 255 so 8-bit squashing would show. */
function source16(count: number, loads: number[]): PreprocessSource {
  return {
    ids: Array.from({ length: count }, (_, i) => `img-${i}`),
    load: async (i) => {
      loads.push(i);
      const width = 96;
      const height = 80;
      const data = new Uint16Array(width * height).map((_, p) => 1000 + ((p % width) * 500 + i * 7) % 60000);
      const mask = new Uint8Array(width * height);
      for (let y = 20; y < 40; y++) for (let x = 30; x < 60; x++) mask[y * width + x] = 2;
      const s: SourceSample = { width, height, channels: 1, data, mask, boxes: [{ x: 30, y: 20, w: 30, h: 20, classId: 1 }], label: i % 3, group: `p${i % 2}` };
      return s;
    },
  };
}

describe('preprocessSample', () => {
  it('letterboxes to the training size (aspect kept, centred), normalises 16-bit data without 8-bit loss, maps masks and boxes', () => {
    // 96 x 72 (4:3) into 64: scale 2/3, content 64 x 48, 8 rows of padding above and below
    const width = 96;
    const height = 72;
    const data = new Uint16Array(width * height).map((_, p) => (p % width) * 600); // 0 .. 57000 ramp
    const mask = new Uint8Array(width * height);
    for (let y = 18; y < 36; y++) for (let x = 30; x < 60; x++) mask[y * width + x] = 1;
    const s = preprocessSample({ width, height, channels: 1, data, mask, boxes: [{ x: 30, y: 18, w: 30, h: 18, classId: 0 }] }, { size: 64, normalization: fullRangeWindow(16) });
    expect(s.size).toBe(64);
    expect(s.image).toHaveLength(64 * 64 * 3);
    const row = 8 * 64; // the first content row
    // values follow the 16-bit ramp: output column o is centred on source column (o + 0.5) * 1.5 - 0.5,
    // whose value is 600 times that, over 65535 (within the filter's small asymmetry, < 5e-4)
    for (let o = 2; o < 62; o++) expect(s.image[(row + o) * 3]).toBeCloseTo((((o + 0.5) * 1.5 - 0.5) * 600) / 65535, 3);
    // and they are not on an 8-bit grid (multiples of 1/255): 16-bit detail is kept
    const offGrid = Array.from({ length: 64 }, (_, o) => s.image[(row + o) * 3]! * 255).filter((v) => Math.abs(v - Math.round(v)) > 0.01);
    expect(offGrid.length).toBeGreaterThan(32);
    expect(s.image[(row + 10) * 3]).toBe(s.image[(row + 10) * 3 + 1]);
    // the padding rows are 0 in the image and outside the image in the mask
    for (const y of [0, 7, 56, 63]) {
      expect(Array.from(s.image.subarray(y * 64 * 3, (y + 1) * 64 * 3)).every((v) => v === 0), `row ${y}`).toBe(true);
      expect(Array.from(s.mask!.subarray(y * 64, (y + 1) * 64)).every((v) => v === outsideImageClass), `mask row ${y}`).toBe(true);
    }
    expect(s.image[(row + 40) * 3]).toBeGreaterThan(0);
    // box scaled by 2/3 on both axes and moved down by the 8-row border
    expect(s.boxes![0]!.x).toBeCloseTo(20, 10);
    expect(s.boxes![0]!.w).toBeCloseTo(20, 10);
    expect(s.boxes![0]!.y).toBeCloseTo(20, 10);
    expect(s.boxes![0]!.h).toBeCloseTo(12, 10);
    // mask pixels lie inside the mapped box and fill it
    let inside = 0;
    s.mask!.forEach((m, i) => {
      if (m !== 1) return;
      const x = i % 64;
      const y = Math.floor(i / 64);
      expect(x >= 20 && x < 40 && y >= 20 && y < 32).toBe(true);
      inside++;
    });
    expect(inside).toBe(20 * 12);
  });

  it('leaves a square image unpadded', () => {
    const s = preprocessSample({ width: 128, height: 128, channels: 1, data: new Uint8Array(128 * 128).fill(7), mask: new Uint8Array(128 * 128) }, { size: 64, normalization: fullRangeWindow(8) });
    expect(s.mask!.every((v) => v === 0)).toBe(true);
    expect(s.image.every((v) => Math.abs(v - 7 / 255) < 1e-6)).toBe(true);
  });

  it('names the sample in errors', () => {
    expect(() => preprocessSample({ width: 10, height: 10, channels: 1, data: new Uint8Array(5) }, { size: 64, normalization: { kind: 'zscore' } }, 'scan-7')).toThrow(/scan-7: 5 values/);
    expect(() => preprocessSample({ width: 2, height: 2, channels: 1, data: new Uint8Array(4), mask: new Uint8Array(3) }, { size: 64, normalization: { kind: 'zscore' } }, 'x')).toThrow(/mask has 3 pixels/);
    expect(() => preprocessSample({ width: 2, height: 2, channels: 1, data: new Uint8Array(4) }, { size: 50, normalization: { kind: 'zscore' } })).toThrow(/multiple of 32/);
  });
});

describe('preprocessing cache file', () => {
  it('round-trips samples through the binary encoding', async () => {
    const loads: number[] = [];
    const src = source16(3, loads);
    const samples = await Promise.all(src.ids.map(async (_, i) => preprocessSample(await src.load(i), { size: 32, normalization: { kind: 'zscore' } })));
    const back = decodePreprocessed(encodePreprocessed(samples));
    expect(back).toEqual(samples);
    // an unaligned copy of the bytes still decodes
    const bytes = encodePreprocessed(samples);
    const shifted = new Uint8Array(bytes.length + 1).subarray(1);
    shifted.set(bytes);
    expect(decodePreprocessed(shifted)).toEqual(samples);
    expect(() => decodePreprocessed(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), 'f.umpc')).toThrow(/f.umpc: not a preprocessing cache file/);
    expect(() => decodePreprocessed(bytes.subarray(0, bytes.length - 10), 'g.umpc')).toThrow(/g.umpc: truncated/);
  });

  it('builds once, then loads from the cache file; new settings or ids make a new file', async () => {
    const dir = tempDir();
    const loads: number[] = [];
    const settings = { size: 32, normalization: { kind: 'zscore' as const } };
    const first = await loadOrBuildPreprocessed(source16(5, loads), settings, dir);
    expect(first.cacheHit).toBe(false);
    expect(loads).toEqual([0, 1, 2, 3, 4]);
    const second = await loadOrBuildPreprocessed(source16(5, loads), settings, dir);
    expect(second.cacheHit).toBe(true);
    expect(loads).toHaveLength(5); // nothing decoded again
    expect(second.samples).toEqual(first.samples);
    expect(second.file).toBe(first.file);
    // no temp files left behind
    expect(readdirSync(dir)).toEqual([path.basename(first.file)]);

    const other = await loadOrBuildPreprocessed(source16(5, loads), { size: 64, normalization: { kind: 'zscore' } }, dir);
    expect(other.cacheHit).toBe(false);
    expect(other.key).not.toBe(first.key);
    expect(preprocessCacheKey(['a', 'b'], settings)).not.toBe(preprocessCacheKey(['a', 'c'], settings));
    expect(preprocessCacheKey(['a', 'b'], settings)).toBe(preprocessCacheKey(['a', 'b'], { size: 32, normalization: { kind: 'zscore' } }));
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('rebuilds a damaged cache file and says why', async () => {
    const dir = tempDir();
    const settings = { size: 32, normalization: { kind: 'minmax' as const } };
    const first = await loadOrBuildPreprocessed(source16(2, []), settings, dir);
    writeFileSync(first.file, 'garbage');
    const again = await loadOrBuildPreprocessed(source16(2, []), settings, dir);
    expect(again.cacheHit).toBe(false);
    expect(again.rebuiltBecause).toMatch(/not a preprocessing cache file/);
    expect(statSync(first.file).size).toBeGreaterThan(32 * 32 * 12 * 2);
    expect((await loadOrBuildPreprocessed(source16(2, []), settings, dir)).cacheHit).toBe(true);
  });
});
