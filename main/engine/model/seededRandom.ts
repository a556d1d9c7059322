/**
 * Seeded randomness that is a pure function of integers, so that weight
 * initialisation, sampling, augmentation and dropout are reproducible and a
 * resumed run needs only (seed, counters) to continue exactly.
 */

/** 32-bit integer hash of several integers (splitmix-like mixing) */
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

/** mulberry32 generator; its whole state is one 32-bit integer */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** uniform in [0, 1) */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** integer in [0, n) */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** a fresh 31-bit seed for a tfjs op or initializer */
  seed(): number {
    return Math.floor(this.next() * 0x7fffffff);
  }

  getState(): number {
    return this.state;
  }

  setState(state: number): void {
    this.state = state >>> 0;
  }
}

/** Fisher–Yates permutation of 0..n-1 drawn from `random` */
export function permutation(n: number, random: SeededRandom): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}
