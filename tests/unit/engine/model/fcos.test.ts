import { describe, expect, it } from 'vitest';
import { decodeFcos, nonMaxSuppression, type DetectedBox } from '../../../../main/engine/model/fcosDecode';
import { assignFcosTargets, levelLocations, scaleRanges, totalLocations } from '../../../../main/engine/model/fcosTargets';

const levels = [
  { stride: 8, size: 8 },
  { stride: 16, size: 4 },
  { stride: 32, size: 2 },
  { stride: 64, size: 1 },
];

describe('FCOS target assignment', () => {
  it('places locations at cell centres and uses FCOS scale ranges', () => {
    expect(levelLocations({ stride: 8, size: 2 })).toEqual([
      { x: 4, y: 4 },
      { x: 12, y: 4 },
      { x: 4, y: 12 },
      { x: 12, y: 12 },
    ]);
    expect(scaleRanges(levels)).toEqual([
      [-1, 64],
      [64, 128],
      [128, 256],
      [256, Infinity],
    ]);
    expect(totalLocations(levels)).toBe(85);
  });

  it('marks locations inside the box near its centre as positive, with l/t/r/b and centerness', () => {
    const t = assignFcosTargets([{ x: 8, y: 8, w: 16, h: 16, classId: 1 }], levels);
    // box centre (16, 16); radius 1.5 * 8 = 12: locations 12 and 20 on each axis
    const positives = [...t.labels.keys()].filter((n) => t.labels[n]! >= 0);
    expect(positives).toEqual([9, 10, 17, 18]);
    expect(t.numPositive).toBe(4);
    expect(Array.from(t.distances.subarray(9 * 4, 9 * 4 + 4))).toEqual([4, 4, 12, 12]);
    expect(t.centerness[9]).toBeCloseTo(Math.sqrt((4 / 12) * (4 / 12)), 6);
    expect(t.labels[9]).toBe(1);
    expect(t.labels[0]).toBe(-1);
    expect(Array.from(t.distances.subarray(0, 4))).toEqual([1, 1, 1, 1]);
  });

  it('centre sampling drops locations inside a large box but far from its centre', () => {
    const t = assignFcosTargets([{ x: 0, y: 0, w: 60, h: 20, classId: 0 }], [{ stride: 8, size: 8 }]);
    // centre x = 30: only x in (18, 42) qualifies, i.e. 20, 28, 36
    const xs = [...t.labels.keys()].filter((n) => t.labels[n]! >= 0).map((n) => (n % 8) * 8 + 4);
    expect(new Set(xs)).toEqual(new Set([20, 28, 36]));
  });

  it('sends a large object to a coarser level by its largest distance', () => {
    const big = assignFcosTargets([{ x: 0, y: 0, w: 200, h: 200, classId: 0 }], [
      { stride: 8, size: 32 },
      { stride: 16, size: 16 },
      { stride: 32, size: 8 },
    ]);
    const perLevel = [0, 0, 0];
    big.labels.forEach((l, n) => {
      if (l >= 0) perLevel[n < 1024 ? 0 : n < 1280 ? 1 : 2]! += 1;
    });
    expect(perLevel[0]).toBe(0);
    expect(perLevel[1]! + perLevel[2]!).toBeGreaterThan(0);
  });

  it('gives an ambiguous location to the smaller box', () => {
    const t = assignFcosTargets(
      [
        { x: 0, y: 0, w: 32, h: 32, classId: 0 },
        { x: 8, y: 8, w: 10, h: 10, classId: 1 },
      ],
      [{ stride: 8, size: 4 }],
    );
    expect(t.labels[5]).toBe(1); // location (12, 12) lies in both
  });
});

describe('FCOS decoding', () => {
  it('turns one confident location into its box and suppresses overlapping duplicates', () => {
    const lv = [{ stride: 8, size: 2 }];
    const C = 2;
    const classLogits = new Float32Array(4 * C).fill(-10);
    classLogits[0 * C + 1] = 5;
    classLogits[1 * C + 1] = 3;
    const boxDistances = new Float32Array(4 * 4).fill(1);
    boxDistances.set([2, 2, 6, 6], 0); // location (4, 4) -> box (2, 2)-(10, 10)
    boxDistances.set([9, 1, 1, 7], 4); // location (12, 4) -> box (3, 3)-(13, 11): overlaps
    const centernessLogits = new Float32Array(4).fill(5);
    const boxes = decodeFcos({ classLogits, boxDistances, centernessLogits }, lv, C, 16, { iouThreshold: 0.5 });
    expect(boxes).toHaveLength(1);
    expect(boxes[0]).toMatchObject({ x: 2, y: 2, w: 8, h: 8, classId: 1 });
    expect(boxes[0]!.score).toBeCloseTo(Math.sqrt((1 / (1 + Math.exp(-5))) ** 2), 5);
  });

  it('NMS keeps overlapping boxes of different classes', () => {
    const a: DetectedBox = { x: 0, y: 0, w: 10, h: 10, classId: 0, score: 0.9 };
    const b: DetectedBox = { ...a, classId: 1, score: 0.8 };
    const c: DetectedBox = { ...a, x: 1, score: 0.7 };
    expect(nonMaxSuppression([c, b, a], 0.5)).toEqual([a, b]);
  });
});
