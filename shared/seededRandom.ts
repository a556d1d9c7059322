/**
 * Seeded pseudo-random numbers, the one generator of every floor (data
 * generation, shuffling, augmentation, weight initialisation, task sampling,
 * split assignment, label-fraction subsets). mulberry32: one 32-bit state
 * word, so the state serialises as a single number and a run resumes exactly.
 *
 * Two ways to seed it, each kept bit-identical to what earlier results
 * (imported splits in users' catalogs, synthetic datasets, checkpoints) were
 * made with:
 * - `new SeededRandom(seed)` mixes the seed once (mixSeed) so that nearby
 *   seeds (0, 1, 2...) start far apart: data, augmentation, studies;
 * - `SeededRandom.fromState(word)` starts at the word itself: weight
 *   initialisation, the cyclic task sampler, split assignment of imports.
 *
 * Sub-stream seeds: `hashSeed(...integers)` for integer keys (model parts,
 * steps, tasks) and `deriveSeed(base, ...keys)` for named streams (task name,
 * split, sample index). They are different hashes, each kept for its users.
 */

export interface RandomState {
  algorithm: 'mulberry32';
  /** unsigned 32-bit state word */
  state: number;
}

export class SeededRandom {
  private s: number;

  /** a number seed is mixed first; a RandomState continues where it was saved */
  constructor(seed: number | RandomState) {
    if (typeof seed === 'number') {
      if (!Number.isFinite(seed)) throw new Error(`SeededRandom: seed must be a finite number, got ${seed}`);
      this.s = mixSeed(Math.trunc(seed)) >>> 0;
    } else {
      if (seed.algorithm !== 'mulberry32' || !Number.isInteger(seed.state)) {
        throw new Error(`SeededRandom: unsupported state ${JSON.stringify(seed)}`);
      }
      this.s = seed.state >>> 0;
    }
  }

  /** a generator whose state word is `word` (no mixing) */
  static fromState(word: number): SeededRandom {
    return new SeededRandom({ algorithm: 'mulberry32', state: word >>> 0 });
  }

  /** uniform in [0, 1) */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** uniform in [lo, hi) */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** integer uniform in [lo, hi] (both inclusive) */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** integer uniform in [0, n) */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** true with probability p */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** standard normal (Box-Muller; no cached spare so the state stays one word) */
  normal(): number {
    const u = 1 - this.next(); // (0, 1]: log stays finite
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** a fresh 31-bit seed for a tfjs op or initializer */
  seed(): number {
    return Math.floor(this.next() * 0x7fffffff);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('SeededRandom.pick: empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Fisher-Yates, in place; returns the same array */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  getState(): RandomState {
    return { algorithm: 'mulberry32', state: this.s };
  }

  setState(state: RandomState): void {
    this.s = new SeededRandom(state).s;
  }
}

/** Fisher-Yates permutation of 0..n-1 drawn from `random` */
export function permutation(n: number, random: SeededRandom): number[] {
  return random.shuffle(Array.from({ length: n }, (_, i) => i));
}

/** 32-bit integer hash of one integer (a murmur3-style finaliser) */
export function mixSeed(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** 32-bit hash of several integers (splitmix-like mixing), for integer-keyed sub-streams */
export function hashSeed(...parts: number[]): number {
  let h = 0x9e3779b9 | 0;
  for (const part of parts) {
    h = Math.imul(h ^ (part | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/**
 * A seed for an independent named sub-stream, derived from a base seed and
 * keys (e.g. task name, split, sample index): sample i is the same whatever
 * other samples were generated before it.
 */
export function deriveSeed(base: number, ...keys: Array<string | number>): number {
  let h = mixSeed(base);
  for (const key of keys) {
    const text = String(key);
    for (let i = 0; i < text.length; i++) h = mixSeed(h ^ Math.imul(text.charCodeAt(i) + 1, 0x9e3779b1));
    h = mixSeed(h ^ 0x2545f491); // key separator: ('ab','c') differs from ('a','bc')
  }
  return h >>> 0;
}
