import { describe, expect, it } from 'vitest';
import { decimateMinMax } from '../../../../renderer/src/charts/decimate';

describe('decimateMinMax', () => {
  it('leaves short series alone', () => {
    const xs = new Float64Array([1, 2, 3]);
    const [x] = decimateMinMax(xs, new Float64Array([3, 2, 1]), 10);
    expect([...x]).toEqual([1, 2, 3]);
  });

  it('keeps every spike, the order of points and the last point', () => {
    const n = 100000;
    const xs = Float64Array.from({ length: n }, (_, i) => i);
    const ys = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 1000));
    ys[12345] = 50;
    ys[777] = -50;
    ys[n - 2] = Number.NaN;
    const [x, y] = decimateMinMax(xs, ys, 1000);
    expect(x.length).toBeLessThanOrEqual(2001);
    expect(Math.max(...y)).toBe(50);
    expect(Math.min(...y)).toBe(-50);
    expect(x[x.length - 1]).toBe(n - 1);
    for (let i = 1; i < x.length; i++) expect(x[i]!).toBeGreaterThan(x[i - 1]!);
    expect(y.some(Number.isNaN)).toBe(false);
  });
});
