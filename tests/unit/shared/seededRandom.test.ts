import { describe, expect, it } from 'vitest';
import { SeededRandom, deriveSeed, hashSeed, mixSeed, permutation } from '../../../shared/seededRandom';

/**
 * The reference values were printed by the three generators this module
 * replaced (main/engine/data/random.ts, main/engine/model/seededRandom.ts,
 * main/catalog/seededRandom.ts at commit 4316c8a). They pin the streams that
 * stored results depend on: imported splits, synthetic data, initial weights.
 */
describe('SeededRandom, the one generator', () => {
  it('seeded with a number, mixes it first and continues the former data generator bit for bit', () => {
    const r = new SeededRandom(42);
    expect([r.next(), r.next(), r.int(1, 6), r.normal(), r.shuffle([0, 1, 2, 3, 4, 5, 6, 7])]).toEqual([0.4869888692628592, 0.5050487946718931, 1, 0.9339297604062723, [5, 7, 6, 1, 4, 0, 3, 2]]);
    expect(deriveSeed(1, 'task', 'train', 3)).toBe(3929522274);
    expect(mixSeed(12345)).toBe(1011272156);
  });

  it('from a state word, continues the former model generator (weights, task order) bit for bit', () => {
    const r = SeededRandom.fromState(7);
    expect([r.next(), r.below(10), r.seed(), r.getState().state]).toEqual([0.011704753153026104, 0, 2097893166, 1199730150]);
    expect(hashSeed(1, 2, 3)).toBe(2901138804);
    expect(permutation(10, SeededRandom.fromState(hashSeed(3, 0, 1)))).toEqual([2, 9, 3, 4, 6, 8, 5, 1, 7, 0]);
  });

  it('from a state word, continues the former split-assignment generator bit for bit', () => {
    const r = SeededRandom.fromState(99);
    expect([r.next(), r.next(), r.next()]).toEqual([0.2604658124037087, 0.8048227655235678, 0.5408715349622071]);
    expect(SeededRandom.fromState(5).shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual([5, 3, 7, 8, 2, 0, 4, 1, 9, 6]);
  });

  it('below(n) and int(0, n - 1) draw the same integer', () => {
    const a = SeededRandom.fromState(11);
    const b = SeededRandom.fromState(11);
    for (let i = 0; i < 100; i++) expect(a.below(7)).toBe(b.int(0, 6));
  });
});
