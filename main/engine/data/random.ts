/**
 * Seeded pseudo-random numbers for data generation, shuffling and
 * augmentation. mulberry32: one 32-bit state word, so the state serialises as
 * a single number and a run can resume exactly where it stopped.
 */

export interface RandomState {
  algorithm: 'mulberry32';
  /** unsigned 32-bit state word */
  state: number;
}

export class SeededRandom {
  private s: number;

  constructor(seed: number | RandomState) {
    if (typeof seed === 'number') {
      if (!Number.isFinite(seed)) throw new Error(`SeededRandom: seed must be a finite number, got ${seed}`);
      // Mix the seed once so that nearby seeds (0, 1, 2...) start far apart.
      this.s = hashSeed(Math.trunc(seed)) >>> 0;
    } else {
      if (seed.algorithm !== 'mulberry32' || !Number.isInteger(seed.state)) {
        throw new Error(`SeededRandom: unsupported state ${JSON.stringify(seed)}`);
      }
      this.s = seed.state >>> 0;
    }
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

/** 32-bit integer hash (a murmur3-style finaliser) */
export function hashSeed(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A seed for an independent sub-stream, derived from a base seed and keys
 * (e.g. task name, split, sample index): sample i is the same whatever
 * other samples were generated before it.
 */
export function deriveSeed(base: number, ...keys: Array<string | number>): number {
  let h = hashSeed(base);
  for (const key of keys) {
    const text = String(key);
    for (let i = 0; i < text.length; i++) h = hashSeed(h ^ Math.imul(text.charCodeAt(i) + 1, 0x9e3779b1));
    h = hashSeed(h ^ 0x2545f491); // key separator: ('ab','c') differs from ('a','bc')
  }
  return h >>> 0;
}
