import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../shared/seededRandom';
import { fractionTargetSize, labelFractionSubsets, type SubsetItem } from '../../../main/studies/labelFractionSubsets';

/** A random training split: 1-6 strata with uneven sizes, optionally grouped (groups may mix strata). */
function randomSplit(rng: SeededRandom, grouped: boolean): SubsetItem[] {
  const strata = rng.int(1, 6);
  const n = rng.int(strata, 400);
  const weights = Array.from({ length: strata }, () => rng.uniform(0.2, 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  const items: SubsetItem[] = [];
  for (let i = 0; i < n; i++) {
    let u = rng.uniform(0, sum);
    let s = 0;
    while (s < strata - 1 && u > weights[s]!) u -= weights[s++]!;
    items.push({ stratum: i < strata ? i : s, group: grouped ? `p${rng.int(0, Math.max(1, Math.floor(n / 3)))}` : null });
  }
  return rng.shuffle(items);
}

const fractions = [1, 5, 10, 25, 50, 100];
const cases = Array.from({ length: 60 }, (_, k) => k);

describe('labelFractionSubsets (property tests over 60 random splits x 3 seeds)', () => {
  it('subsets are nested, duplicate-free, hit their target size and keep groups whole', () => {
    for (const k of cases) {
      const rng = new SeededRandom(1000 + k);
      const items = randomSplit(rng, k % 2 === 0);
      const groupSize = new Map<string, number>();
      for (const it of items) if (it.group) groupSize.set(it.group, (groupSize.get(it.group) ?? 0) + 1);
      const largestGroup = Math.max(1, ...groupSize.values());
      for (const seed of [0, 1, 2]) {
        const subsets = labelFractionSubsets(items, fractions, seed);
        let previous = new Set<number>();
        for (const s of subsets) {
          const set = new Set(s.indices);
          expect(set.size, `case ${k}: duplicates`).toBe(s.indices.length);
          expect(s.indices.every((i) => i >= 0 && i < items.length)).toBe(true);
          expect([...previous].every((i) => set.has(i)), `case ${k} seed ${seed}: ${s.fraction}% misses an item of the smaller subset`).toBe(true);
          expect(s.targetSize).toBe(fractionTargetSize(s.fraction, items.length));
          expect(s.indices.length).toBeGreaterThanOrEqual(s.targetSize);
          // the shortest prefix of whole groups: it overshoots by less than one group
          expect(s.indices.length).toBeLessThan(s.targetSize + largestGroup);
          // group-aware: a group is in whole or not at all
          const inSubset = new Map<string, number>();
          for (const i of s.indices) {
            const g = items[i]!.group;
            if (g) inSubset.set(g, (inSubset.get(g) ?? 0) + 1);
          }
          for (const [g, n] of inSubset) expect(n, `group ${g} split`).toBe(groupSize.get(g));
          previous = set;
        }
        expect(subsets.at(-1)!.indices.length).toBe(items.length);
      }
    }
  });

  it('without groups every stratum keeps its share of the split to within one item', () => {
    for (const k of cases) {
      const items = randomSplit(new SeededRandom(5000 + k), false);
      const totals = new Map<number, number>();
      for (const it of items) totals.set(it.stratum, (totals.get(it.stratum) ?? 0) + 1);
      for (const s of labelFractionSubsets(items, [2, 7, 10, 33, 50, 80], k)) {
        const counts = new Map<number, number>();
        for (const i of s.indices) counts.set(items[i]!.stratum, (counts.get(items[i]!.stratum) ?? 0) + 1);
        for (const [stratum, total] of totals) {
          const expected = (s.indices.length * total) / items.length;
          expect(Math.abs((counts.get(stratum) ?? 0) - expected), `case ${k}, ${s.fraction}%, stratum ${stratum}`).toBeLessThanOrEqual(1);
        }
      }
    }
  });

  it('reports tooSmall exactly when a stratum is missing, and never enlarges the subset', () => {
    for (const k of cases) {
      const items = randomSplit(new SeededRandom(9000 + k), k % 3 === 0);
      const strata = new Set(items.map((i) => i.stratum));
      for (const s of labelFractionSubsets(items, fractions, 7)) {
        const present = new Set(s.indices.map((i) => items[i]!.stratum));
        expect(s.missingStrata).toEqual([...strata].filter((x) => !present.has(x)).sort((a, b) => a - b));
        expect(s.tooSmall).toBe(s.missingStrata.length > 0);
      }
    }
    // 3 balanced classes, 100 ungrouped images: 1 % is one image, which cannot hold 3 classes
    const items = Array.from({ length: 100 }, (_, i) => ({ stratum: i % 3 }));
    const [one, three] = labelFractionSubsets(items, [1, 3], 0);
    expect(one!.indices).toHaveLength(1);
    expect(one!.tooSmall).toBe(true);
    expect(one!.missingStrata).toHaveLength(2);
    expect(three!.tooSmall).toBe(false);
    expect(new Set(three!.indices.map((i) => items[i]!.stratum)).size).toBe(3);
  });

  it('is a pure function of (items, seed): same seed same subsets, other seeds other subsets', () => {
    const items = randomSplit(new SeededRandom(3), true);
    expect(labelFractionSubsets(items, fractions, 4)).toEqual(labelFractionSubsets(items, fractions, 4));
    const tens = [0, 1, 2, 3].map((seed) => labelFractionSubsets(items, [10], seed)[0]!.indices.join(','));
    expect(new Set(tens).size).toBeGreaterThan(1);
  });

  it('rejects bad input with a clear message', () => {
    expect(() => labelFractionSubsets([], [10], 0)).toThrow(/empty/);
    expect(() => labelFractionSubsets([{ stratum: 0 }], [0], 0)).toThrow(/percentage/);
    expect(() => labelFractionSubsets([{ stratum: 0 }], [101], 0)).toThrow(/percentage/);
    expect(() => labelFractionSubsets([{ stratum: 0.5 }], [10], 0)).toThrow(/item 0/);
  });
});
