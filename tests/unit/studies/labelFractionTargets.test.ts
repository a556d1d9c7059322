/**
 * Label-fraction subsets with the target sizes worked out here, by hand,
 * never by the code under test; and class shares checked tightly enough that
 * an unstratified prefix fails.
 */
import { describe, expect, it } from 'vitest';
import { fractionTargetSize, labelFractionSubsets, stratifiedGroupOrder, type SubsetItem } from '../../../main/studies/labelFractionSubsets';

describe('target sizes (hand-computed)', () => {
  it('round(fraction % of 37), at least 1, at most all', () => {
    // 1 % of 37 = 0.37 -> 0 -> at least 1; 5 % = 1.85 -> 2; 10 % = 3.7 -> 4; 25 % = 9.25 -> 9; 50 % = 18.5 -> 19; 100 % = 37
    const handSizes = [1, 2, 4, 9, 19, 37];
    const items: SubsetItem[] = Array.from({ length: 37 }, () => ({ stratum: 0 }));
    const subsets = labelFractionSubsets(items, [1, 5, 10, 25, 50, 100], 0);
    expect(subsets.map((s) => s.targetSize)).toEqual(handSizes);
    // ungrouped items: the subset is exactly the target size
    expect(subsets.map((s) => s.indices.length)).toEqual(handSizes);
    expect(subsets.map((s) => s.fraction)).toEqual([1, 5, 10, 25, 50, 100]);
    // indices come ascending, whatever order the groups were taken in
    for (const s of labelFractionSubsets(items, [25, 50], 4)) expect(s.indices).toEqual([...s.indices].sort((a, b) => a - b));
    expect(labelFractionSubsets(items, [25], 4)[0]!.indices).not.toEqual(Array.from({ length: 9 }, (_, i) => i));
  });

  it('fractional percentages and the edges of (0, 100]', () => {
    expect(fractionTargetSize(0.5, 1000)).toBe(5);
    expect(fractionTargetSize(2.5, 100)).toBe(3); // 2.5 rounds up
    expect(fractionTargetSize(100, 7)).toBe(7);
    expect(fractionTargetSize(0.001, 7)).toBe(1);
    expect(() => fractionTargetSize(0, 10)).toThrow(/label fraction 0 is not a percentage in \(0, 100\]/);
    expect(() => fractionTargetSize(100.5, 10)).toThrow(/100.5/);
    expect(() => fractionTargetSize(Number.NaN, 10)).toThrow(/percentage/);
  });
});

describe('stratification tight enough to tell from an unstratified prefix', () => {
  // 60 of class 0 then 30 of class 1 then 10 of class 2, in that order
  const items: SubsetItem[] = [...Array.from({ length: 60 }, () => ({ stratum: 0 })), ...Array.from({ length: 30 }, () => ({ stratum: 1 })), ...Array.from({ length: 10 }, () => ({ stratum: 2 }))];

  it('every prefix of 10 holds 6 / 3 / 1, for many seeds', () => {
    for (let seed = 0; seed < 20; seed++) {
      const [ten, twenty] = labelFractionSubsets(items, [10, 20], seed);
      const count = (indices: number[], s: number) => indices.filter((i) => items[i]!.stratum === s).length;
      expect([0, 1, 2].map((s) => count(ten!.indices, s)), `seed ${seed}`).toEqual([6, 3, 1]);
      expect([0, 1, 2].map((s) => count(twenty!.indices, s)), `seed ${seed}`).toEqual([12, 6, 2]);
      expect(ten!.tooSmall).toBe(false);
    }
  });

  it('the first group taken comes from the class furthest behind (the largest), then the order interleaves', () => {
    const order = stratifiedGroupOrder(items, 3);
    const strataOf = order.slice(0, 10).map((g) => items[g[0]!]!.stratum);
    expect(strataOf[0]).toBe(0);
    expect(strataOf.filter((s) => s === 2)).toHaveLength(1);
    expect(order.flat().sort((a, b) => a - b)).toEqual(items.map((_, i) => i));
  });

  it('a group is placed by its most common class (ties to the smaller id) and counted with all its items', () => {
    const grouped: SubsetItem[] = [
      { stratum: 1, group: 'p' },
      { stratum: 0, group: 'p' },
      { stratum: 1, group: 'q' },
      { stratum: 1, group: 'q' },
      { stratum: 0, group: 'q' },
      { stratum: 0 },
      { stratum: 0 },
      { stratum: 1 },
    ];
    for (let seed = 0; seed < 10; seed++) {
      const order = stratifiedGroupOrder(grouped, seed);
      expect(order).toHaveLength(5);
      expect(order.find((g) => g.includes(0))!.sort()).toEqual([0, 1]);
      expect(order.find((g) => g.includes(2))!.sort()).toEqual([2, 3, 4]);
    }
    // a majority group joins its majority's queue: (1, 1, 0) waits for stratum 1's turn, third of 7
    const majority: SubsetItem[] = [{ stratum: 1, group: 'q' }, { stratum: 1, group: 'q' }, { stratum: 0, group: 'q' }, ...Array.from({ length: 6 }, () => ({ stratum: 0 }))];
    // deficits: stratum 0 (7 of 9) leads for two picks, then stratum 1 (2 of 9): 3 x 2/9 > 3 x 7/9 - 2
    for (let seed = 0; seed < 10; seed++) expect(stratifiedGroupOrder(majority, seed).findIndex((g) => g.includes(0)), `seed ${seed}`).toBe(2);
    // a tie (one item of each) counts as the smaller stratum, in either order: stratum 0 (1 of 8) catches up at the
    // fourth pick, where 4 x 1/8 = 4 x 7/8 - 3 ties and the smaller stratum wins the tie
    for (const tie of [
      [1, 0],
      [0, 1],
    ]) {
      const items: SubsetItem[] = [...tie.map((stratum) => ({ stratum, group: 't' })), ...Array.from({ length: 6 }, () => ({ stratum: 1 }))];
      for (let seed = 0; seed < 10; seed++) expect(stratifiedGroupOrder(items, seed).findIndex((g) => g.includes(0)), `tie ${tie} seed ${seed}`).toBe(3);
    }
    // a group named like an item's index stays apart from that item
    const clash: SubsetItem[] = [{ stratum: 0, group: '1' }, { stratum: 0 }, { stratum: 0, group: '1' }];
    expect(stratifiedGroupOrder(clash, 0).map((g) => g.length).sort()).toEqual([1, 2]);
  });
});
