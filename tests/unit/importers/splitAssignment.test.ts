import { describe, expect, it } from 'vitest';
import { assignSplits, carveValidation, type SplitCandidate } from '../../../main/importers/splitAssignment';
import { SeededRandom } from '../../../shared/seededRandom';

function randomItems(seed: number, n: number, groups: number, classes: number): SplitCandidate[] {
  const generator = SeededRandom.fromState(seed);
  const random = (): number => generator.next();
  return Array.from({ length: n }, (_, i) => ({
    key: `img${i}`,
    group: random() < 0.2 ? null : `patient${Math.floor(random() * groups)}`,
    stratum: `c${Math.floor(random() * classes)}`,
  }));
}

describe('assignSplits', () => {
  it('never puts one group in two splits (property over random datasets and seeds)', () => {
    for (let trial = 0; trial < 40; trial++) {
      const items = randomItems(trial, 50 + trial * 17, 3 + (trial % 25), 1 + (trial % 4));
      const splits = assignSplits(items, { ratios: [0.7, 0.15, 0.15], seed: trial });
      const splitOfGroup = new Map<string, string>();
      for (const item of items) {
        const split = splits.get(item.key);
        expect(split).toBeDefined();
        if (item.group === null) continue;
        const seen = splitOfGroup.get(item.group);
        if (seen) expect(split, `group ${item.group} in trial ${trial}`).toBe(seen);
        else splitOfGroup.set(item.group, split!);
      }
    }
  });

  it('follows the ratios within each class when there are no groups (stratified)', () => {
    const items = randomItems(3, 2000, 1, 4).map((i) => ({ ...i, group: null }));
    const splits = assignSplits(items, { ratios: [0.7, 0.15, 0.15], seed: 5 });
    for (const stratum of ['c0', 'c1', 'c2', 'c3']) {
      const members = items.filter((i) => i.stratum === stratum);
      const share = (s: string) => members.filter((m) => splits.get(m.key) === s).length / members.length;
      expect(share('train')).toBeCloseTo(0.7, 1);
      expect(share('val')).toBeCloseTo(0.15, 1);
      expect(share('test')).toBeCloseTo(0.15, 1);
    }
  });

  it('is reproducible for a seed and differs between seeds', () => {
    const items = randomItems(11, 300, 40, 3);
    const a = assignSplits(items, { ratios: [0.7, 0.15, 0.15], seed: 1 });
    const b = assignSplits(items, { ratios: [0.7, 0.15, 0.15], seed: 1 });
    const c = assignSplits(items, { ratios: [0.7, 0.15, 0.15], seed: 2 });
    expect([...a.entries()]).toEqual([...b.entries()]);
    expect([...a.entries()]).not.toEqual([...c.entries()]);
  });

  it("keeps the publisher's split and only assigns the rest", () => {
    const items: SplitCandidate[] = [
      { key: 'a', group: null, stratum: null, split: 'test' },
      { key: 'b', group: null, stratum: null, split: 'val' },
      ...Array.from({ length: 20 }, (_, i) => ({ key: `x${i}`, group: null, stratum: null })),
    ];
    const splits = assignSplits(items, { ratios: [1, 0, 0], seed: 1 });
    expect(splits.get('a')).toBe('test');
    expect(splits.get('b')).toBe('val');
    for (let i = 0; i < 20; i++) expect(splits.get(`x${i}`)).toBe('train');
  });

  it('carves validation out of a train-only publisher split, leaving test alone and groups whole', () => {
    const items: SplitCandidate[] = [
      ...randomItems(4, 200, 30, 2).map((i) => ({ ...i, split: 'train' as const })),
      ...Array.from({ length: 10 }, (_, i) => ({ key: `t${i}`, group: null, stratum: null, split: 'test' as const })),
    ];
    const carved = carveValidation(items, { ratios: [0.7, 0.15, 0.15], seed: 3 });
    expect(carved.filter((i) => i.key.startsWith('t')).every((i) => i.split === 'test')).toBe(true);
    const val = carved.filter((i) => i.split === 'val');
    expect(val.length).toBeGreaterThan(10);
    expect(carved.filter((i) => i.split === 'test').length).toBe(10);
    const groupSplits = new Map<string, Set<string>>();
    for (const i of carved) if (i.group) groupSplits.set(i.group, (groupSplits.get(i.group) ?? new Set()).add(i.split!));
    for (const [, s] of groupSplits) expect(s.size).toBe(1);
  });
});
