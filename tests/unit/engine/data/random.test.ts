import { describe, expect, it } from 'vitest';
import { SeededRandom, deriveSeed } from '../../../../shared/seededRandom';

describe('SeededRandom', () => {
  it('repeats the same stream for the same seed and differs for another seed', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const c = new SeededRandom(43);
    const sa = Array.from({ length: 20 }, () => a.next());
    const sb = Array.from({ length: 20 }, () => b.next());
    const sc = Array.from({ length: 20 }, () => c.next());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
    expect(sa.every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('resumes exactly from a serialised state', () => {
    const a = new SeededRandom(7);
    for (let i = 0; i < 13; i++) a.next();
    const saved = JSON.parse(JSON.stringify(a.getState()));
    const expected = Array.from({ length: 10 }, () => a.normal());
    const resumed = new SeededRandom(saved);
    expect(Array.from({ length: 10 }, () => resumed.normal())).toEqual(expected);
  });

  it('has roughly uniform and normal moments over many draws', () => {
    const r = new SeededRandom(1);
    let sum = 0;
    let sumN = 0;
    let sumN2 = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      sum += r.next();
      const z = r.normal();
      sumN += z;
      sumN2 += z * z;
    }
    expect(sum / n).toBeCloseTo(0.5, 1);
    expect(sumN / n).toBeCloseTo(0, 1);
    expect(sumN2 / n).toBeCloseTo(1, 1);
  });

  it('int covers both ends inclusively and shuffle is a permutation', () => {
    const r = new SeededRandom(3);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(r.int(2, 5));
    expect([...seen].sort()).toEqual([2, 3, 4, 5]);
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = r.shuffle([...items]);
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((x, y) => x - y)).toEqual(items);
  });

  it('rejects a bad state', () => {
    expect(() => new SeededRandom({ algorithm: 'xorshift' as 'mulberry32', state: 1 })).toThrow(/unsupported state/);
  });
});

describe('deriveSeed', () => {
  it('is deterministic and separates keys', () => {
    expect(deriveSeed(1, 'task', 'train', 3)).toBe(deriveSeed(1, 'task', 'train', 3));
    const seeds = new Set([deriveSeed(1, 'task', 'train', 3), deriveSeed(1, 'task', 'train', 4), deriveSeed(2, 'task', 'train', 3), deriveSeed(1, 'ab', 'c'), deriveSeed(1, 'a', 'bc')]);
    expect(seeds.size).toBe(5);
  });
});
