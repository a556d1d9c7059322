import { describe, expect, it } from 'vitest';
import {
  DEFAULT_AUGMENTATION,
  augmentSample,
  dihedralTransform,
  flipHorizontal,
  flipVertical,
  jitterIntensity,
  rotate90,
  scaleCrop,
} from '../../../../main/engine/data/augment';
import { outsideImageClass } from '../../../../shared/letterbox';
import { SeededRandom } from '../../../../shared/seededRandom';
import { generateSyntheticItem } from '../../../../main/engine/data/synthetic';
import { replicateGreyToRgb } from '../../../../main/engine/data/channels';
import { type TaskSample } from '../../../../main/engine/data/taskSample';

/** A synthetic scene with both a mask and boxes; clean (no noise, even light) so object pixels are exactly those above 0.2. */
function sceneSample(seed: number): TaskSample {
  const item = generateSyntheticItem({ name: 'aug', kind: 'detection', rule: 'cellType', appearance: { noise: 0, illumination: 0 } }, 64, seed);
  return { size: 64, image: replicateGreyToRgb(item.scene.grey), mask: item.scene.mask, boxes: item.boxes! };
}

/** a mask pixel of an object: not background, not outside the source (scale/crop's border) */
const isObject = (m: number): boolean => m > 0 && m !== outsideImageClass;

const objectPixels = (s: TaskSample): boolean[] => Array.from({ length: s.size * s.size }, (_, i) => (s.image[3 * i] as number) > 0.2);

/** Every mask pixel of class k lies in a box of class k-1 (grown by `slack`), and every box touches its class in the mask. */
function expectBoxesMatchMask(s: TaskSample, slack: number): void {
  const n = s.size;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const m = s.mask![y * n + x]!;
      if (m === 0 || m === outsideImageClass) continue;
      const covered = s.boxes!.some((b) => b.classId === m - 1 && x + 0.5 >= b.x - slack && x + 0.5 <= b.x + b.w + slack && y + 0.5 >= b.y - slack && y + 0.5 <= b.y + b.h + slack);
      expect(covered, `mask pixel (${x},${y}) of class ${m} outside every box`).toBe(true);
    }
  }
  for (const b of s.boxes!) {
    let hits = 0;
    for (let y = Math.floor(b.y); y < Math.ceil(b.y + b.h); y++) for (let x = Math.floor(b.x); x < Math.ceil(b.x + b.w); x++) if (s.mask![y * n + x] === b.classId + 1) hits++;
    expect(hits).toBeGreaterThan(0);
  }
}

/** Exact ops: each box is the tight box of its object in the mask. */
function expectTightBoxes(s: TaskSample): void {
  const n = s.size;
  for (const b of s.boxes!) {
    const has = (x: number, y: number): boolean => s.mask![y * n + x] === b.classId + 1;
    const rowHas = (y: number): boolean => Array.from({ length: b.w }, (_, k) => has(b.x + k, y)).some(Boolean);
    const colHas = (x: number): boolean => Array.from({ length: b.h }, (_, k) => has(x, b.y + k)).some(Boolean);
    expect(rowHas(b.y) && rowHas(b.y + b.h - 1) && colHas(b.x) && colHas(b.x + b.w - 1)).toBe(true);
  }
}

describe('geometric augmentations keep image, mask and boxes together', () => {
  it('flips and rotations: object pixels equal the mask exactly, boxes stay tight', () => {
    for (let seed = 0; seed < 6; seed++) {
      const s = sceneSample(seed);
      expect(objectPixels(s)).toEqual(Array.from(s.mask!, (m) => m > 0));
      for (const out of [flipHorizontal(s), flipVertical(s), rotate90(s, 1), rotate90(s, 2), rotate90(s, 3)]) {
        expect(objectPixels(out)).toEqual(Array.from(out.mask!, (m) => m > 0));
        expectTightBoxes(out);
        expectBoxesMatchMask(out, 0);
      }
    }
  });

  it('the one-pass dihedral transform equals the ops applied one after another', () => {
    const s = sceneSample(5);
    for (const h of [false, true]) {
      for (const v of [false, true]) {
        for (let turns = 0; turns < 4; turns++) {
          let seq = s;
          if (h) seq = flipHorizontal(seq);
          if (v) seq = flipVertical(seq);
          for (let t = 0; t < turns; t++) seq = rotate90(seq, 1);
          const once = dihedralTransform(s, h, v, turns);
          expect(Buffer.from(once.image.buffer).equals(Buffer.from(seq.image.buffer))).toBe(true);
          expect(once.mask).toEqual(seq.mask);
          expect(once.boxes).toEqual(seq.boxes);
        }
      }
    }
  });

  it('rotation by 90 degrees moves a known pixel and box clockwise', () => {
    const image = new Float32Array(64 * 64 * 3);
    const mask = new Uint8Array(64 * 64);
    mask[2 * 64 + 5] = 1; // pixel (x=5, y=2)
    image[(2 * 64 + 5) * 3] = 1;
    const s: TaskSample = { size: 64, image, mask, boxes: [{ x: 5, y: 2, w: 1, h: 1, classId: 0 }] };
    const r = rotate90(s, 1);
    // clockwise: (x, y) -> (63 - y, x) = (61, 5)
    expect(r.mask![5 * 64 + 61]).toBe(1);
    expect(r.image[(5 * 64 + 61) * 3]).toBe(1);
    expect(r.boxes).toEqual([{ x: 61, y: 5, w: 1, h: 1, classId: 0 }]);
  });

  it('flipping twice and rotating four times give the input back; inputs are not modified', () => {
    const s = sceneSample(3);
    const before = s.image.slice();
    expect(flipHorizontal(flipHorizontal(s))).toEqual(s);
    expect(flipVertical(flipVertical(s))).toEqual(s);
    expect(rotate90(s, 4)).toEqual(s);
    expect(rotate90(rotate90(s, 3), 1)).toEqual(s);
    expect(s.image).toEqual(before);
  });

  it('scale/crop: image objects agree with the mask except along borders, boxes cover their objects', () => {
    for (const [scale, ox, oy] of [
      [1.25, 6, 3],
      [0.8, -8, -5],
      [1.6, 20, 11],
    ] as const) {
      for (let seed = 0; seed < 4; seed++) {
        const out = scaleCrop(sceneSample(seed), scale, ox, oy);
        const obj = objectPixels(out);
        const disagree = obj.filter((o, i) => o !== isObject(out.mask![i]!)).length;
        expect(disagree / obj.length).toBeLessThan(0.03);
        expectBoxesMatchMask(out, 1);
      }
    }
  });

  it('scale/crop clips boxes and drops boxes that leave the image', () => {
    const s: TaskSample = {
      size: 64,
      image: new Float32Array(64 * 64 * 3),
      boxes: [
        { x: 0, y: 0, w: 4, h: 4, classId: 0 },
        { x: 30, y: 30, w: 10, h: 10, classId: 1 },
      ],
    };
    // zoom 2x on the window starting at (32, 32): the first box is gone, the second is clipped at the left/top
    expect(scaleCrop(s, 2, 32, 32).boxes).toEqual([{ x: 0, y: 0, w: 16, h: 16, classId: 1 }]);
    // zoom out 0.5x around the image: everything shrinks and shifts by the padding
    expect(scaleCrop(s, 0.5, -32, -32).boxes).toEqual([
      { x: 16, y: 16, w: 2, h: 2, classId: 0 },
      { x: 31, y: 31, w: 5, h: 5, classId: 1 },
    ]);
    expect(scaleCrop(s, 0.5, -32, -32, 3).boxes).toHaveLength(1);
  });

  it('intensity jitter changes only the image', () => {
    const s = sceneSample(1);
    const out = jitterIntensity(s, 0.1, 1.2, 0.05, new SeededRandom(1));
    expect(out.mask).toBe(s.mask);
    expect(out.boxes).toBe(s.boxes);
    expect(out.image).not.toEqual(s.image);
    // without noise: exactly (v - mean) * 1.2 + mean + 0.1
    const plain = jitterIntensity(s, 0.1, 1.2);
    const mean = s.image.reduce((a, b) => a + b, 0) / s.image.length;
    expect(plain.image[100]).toBeCloseTo((s.image[100]! - mean) * 1.2 + mean + 0.1, 5);
    // noise only: per-pixel differences have the requested std and are shared by the 3 channels
    const noisy = jitterIntensity(s, 0, 1, 0.5, new SeededRandom(2));
    const diffs = Array.from({ length: 64 * 64 }, (_, p) => noisy.image[3 * p]! - s.image[3 * p]!);
    const std = Math.sqrt(diffs.reduce((a, d) => a + d * d, 0) / diffs.length);
    expect(std).toBeGreaterThan(0.47);
    expect(std).toBeLessThan(0.53);
    expect(noisy.image[3 * 7 + 1]).toBe(noisy.image[3 * 7]);
  });
});

describe('augmentSample', () => {
  it('is reproducible for a seed and keeps labels consistent under random settings', () => {
    const s = sceneSample(7);
    const a = augmentSample(s, DEFAULT_AUGMENTATION, new SeededRandom(11));
    const b = augmentSample(s, DEFAULT_AUGMENTATION, new SeededRandom(11));
    expect(a).toEqual(b);
    const noJitter = { ...DEFAULT_AUGMENTATION, intensity: null, scale: { min: 0.8, max: 1.25, probability: 1 } };
    let changed = 0;
    for (let seed = 0; seed < 12; seed++) {
      const out = augmentSample(sceneSample(seed), noJitter, new SeededRandom(seed));
      if (!out.image.every((v, i) => v === sceneSample(seed).image[i])) changed++;
      const obj = objectPixels(out);
      expect(obj.filter((o, i) => o !== isObject(out.mask![i]!)).length / obj.length).toBeLessThan(0.03);
      expectBoxesMatchMask(out, 1);
    }
    expect(changed).toBe(12);
  });

  it('rejects a sample whose image does not fit its size', () => {
    expect(() => flipHorizontal({ size: 64, image: new Float32Array(10) })).toThrow(/does not fit a 64x64/);
  });
});
