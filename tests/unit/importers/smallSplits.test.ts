/** Small datasets: a generated split gives val and test at least one image (or group) wherever there are enough. */
import { describe, expect, it } from 'vitest';
import { assignSplits, carveValidation, type SplitCandidate } from '../../../main/importers/splitAssignment';
import { toPixelBox } from '../../../main/importers/boxGeometry';

const policy = { ratios: [0.7, 0.15, 0.15] as const, seed: 42 };

function tally(splits: Map<string, 'train' | 'val' | 'test'>): Record<'train' | 'val' | 'test', number> {
  const counts = { train: 0, val: 0, test: 0 };
  for (const s of splits.values()) counts[s]++;
  return counts;
}

describe('generated splits of small datasets', () => {
  it('12 images in two classes: val and test get at least one each', () => {
    const items: SplitCandidate[] = Array.from({ length: 12 }, (_, i) => ({ key: `i${i}`, group: null, stratum: i % 2 ? 'a' : 'b' }));
    const counts = tally(assignSplits(items, policy));
    expect(counts.val).toBeGreaterThanOrEqual(1);
    expect(counts.test).toBeGreaterThanOrEqual(1);
    expect(counts.train + counts.val + counts.test).toBe(12);
    expect(counts.train).toBeGreaterThan(counts.val + counts.test);
  });

  it('one image stays in train; two go to train and val; three fill all three', () => {
    const make = (n: number): SplitCandidate[] => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, group: null, stratum: null }));
    expect(tally(assignSplits(make(1), policy))).toEqual({ train: 1, val: 0, test: 0 });
    expect(tally(assignSplits(make(2), policy))).toEqual({ train: 1, val: 1, test: 0 });
    expect(tally(assignSplits(make(3), policy))).toEqual({ train: 1, val: 1, test: 1 });
  });

  it('an empty split takes the smallest unit of the split holding the most units', () => {
    // one 5-image group and three single images, all dealt to train at 0.9/0.05/0.05
    const items: SplitCandidate[] = [
      ...Array.from({ length: 5 }, (_, i) => ({ key: `big#${i}`, group: 'big', stratum: null })),
      ...['s1', 's2', 's3'].map((key) => ({ key, group: null, stratum: null })),
    ];
    const splits = assignSplits(items, { ratios: [0.9, 0.05, 0.05], seed: 7 });
    expect(tally(splits)).toEqual({ train: 6, val: 1, test: 1 });
    expect(new Set(items.filter((i) => i.group === 'big').map((i) => splits.get(i.key)))).toEqual(new Set(['train']));
  });

  it('a split with ratio 0 stays empty, and train is filled from the split with most units when dealt nothing', () => {
    const make = (n: number): SplitCandidate[] => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, group: null, stratum: null }));
    expect(tally(assignSplits(make(4), { ratios: [0.8, 0.2, 0], seed: 1 }))).toEqual({ train: 3, val: 1, test: 0 });
    // no train share dealt among 3 images at 0.02/0.49/0.49: train takes one from the fuller of val and test
    const noTrain = tally(assignSplits(make(3), { ratios: [0.02, 0.49, 0.49], seed: 1 }));
    expect(noTrain.train).toBe(1);
    expect(noTrain.val + noTrain.test).toBe(2);
    expect(Math.min(noTrain.val, noTrain.test)).toBe(1);
  });

  it('groups move whole: two volumes of many slices become one train and one val volume', () => {
    const items: SplitCandidate[] = [];
    for (const g of ['vol1', 'vol2']) for (let s = 0; s < 20; s++) items.push({ key: `${g}#${s}`, group: g, stratum: null });
    const splits = assignSplits(items, policy);
    expect(tally(splits)).toEqual({ train: 20, val: 20, test: 0 });
    for (const g of ['vol1', 'vol2']) expect(new Set(items.filter((i) => i.group === g).map((i) => splits.get(i.key))).size).toBe(1);
  });

  it("validation carved from a publisher's train part never touches its test part, and is not left empty", () => {
    const items: SplitCandidate[] = [
      ...Array.from({ length: 4 }, (_, i) => ({ key: `tr${i}`, group: null, stratum: null, split: 'train' as const })),
      ...Array.from({ length: 2 }, (_, i) => ({ key: `ts${i}`, group: null, stratum: null, split: 'test' as const })),
    ];
    const carved = carveValidation(items, policy);
    expect(carved.filter((i) => i.split === 'val')).toHaveLength(1);
    expect(carved.filter((i) => i.key.startsWith('ts')).every((i) => i.split === 'test')).toBe(true);
  });
});

describe('boxes at the image edge', () => {
  it('less than half a pixel over an edge is rounding: no warning, not marked clipped', () => {
    // YOLO centre 0.5, width 1.0004 of a 512 px image: 0.1 px over each side
    const result = toPixelBox({ className: 'cell', x: 0.5, y: 0.5, w: 1.0004, h: 0.5, normalizedCentre: true }, 512, 512);
    expect(result.problem).toBeNull();
    expect(result.box).toMatchObject({ x: 0, w: 512, clipped: false });
  });

  it('more than half a pixel over is reported with the edge coordinates it checked', () => {
    const result = toPixelBox({ className: 'cell', x: 510, y: 3, w: 2.8, h: 4 }, 512, 512);
    expect(result.problem).toBe('cell box (510, 3, 2.8x4) reaches outside the 512x512 image (right edge 512.8 > 512): clipped');
    expect(result.box).toMatchObject({ x: 510, w: 2, clipped: true });
  });
});
