/**
 * Training subsets for a label-efficiency study: for one seed, every fraction
 * of the training split, stratified by class, group-aware (a patient / slide
 * is taken whole or not at all) and nested (the 5 % subset contains the 1 %
 * one). The test split never enters: callers pass only training items.
 *
 * How: one seeded order of the groups is built so that every prefix of it is
 * as class-balanced as the groups allow (the next group always comes from the
 * class furthest behind the count its share asks for); a fraction is the shortest prefix that
 * holds its share of images. Prefixes of one order are nested by construction.
 */
import { SeededRandom, deriveSeed } from '../../shared/seededRandom';

export interface SubsetItem {
  /** what to stratify by: the class of a classification sample (any constant for other tasks) */
  stratum: number;
  /** patient / study / slide; items without one are each their own group */
  group?: string | null;
}

export interface FractionSubset {
  /** percent of the training items asked for */
  fraction: number;
  /** images the fraction asks for: round(fraction% of all), at least 1 */
  targetSize: number;
  /** indices into the items, ascending */
  indices: number[];
  /** strata of the training split that the subset lacks */
  missingStrata: number[];
  /** true when the subset cannot hold one item per stratum: report it, do not train on it */
  tooSmall: boolean;
}

interface Group {
  indices: number[];
  /** the stratum most of its items have (the smallest on ties) */
  primary: number;
  counts: Map<number, number>;
}

function buildGroups(items: readonly SubsetItem[]): Group[] {
  const byKey = new Map<string, number[]>();
  items.forEach((item, i) => {
    if (!Number.isInteger(item.stratum)) throw new Error(`labelFractionSubsets: item ${i} has stratum ${item.stratum}, expected an integer`);
    // "#" keeps an ungrouped item apart from a real group that happens to be named like its index
    const key = item.group != null ? `g:${item.group}` : `#${i}`;
    const list = byKey.get(key);
    if (list) list.push(i);
    else byKey.set(key, [i]);
  });
  return [...byKey.values()].map((indices) => {
    const counts = new Map<number, number>();
    for (const i of indices) counts.set(items[i]!.stratum, (counts.get(items[i]!.stratum) ?? 0) + 1);
    let primary = Infinity;
    // Stryker disable next-line UnaryOperator: equivalent, every count is at least 1, so starting from +1 or -1 picks the same stratum
    let best = -1;
    for (const [stratum, n] of counts) {
      // Stryker disable next-line EqualityOperator: equivalent, a Map's strata are distinct, so `<` and `<=` never differ
      if (n > best || (n === best && stratum < primary)) {
        primary = stratum;
        best = n;
      }
    }
    return { indices, primary, counts };
  });
}

/**
 * The seeded order in which groups join the subsets: each prefix keeps every
 * stratum as close to its share of the whole split as whole groups allow.
 */
export function stratifiedGroupOrder(items: readonly SubsetItem[], seed: number): number[][] {
  // Stryker disable next-line StringLiteral: equivalent, the label only keeps this stream apart from other uses of the seed
  const groups = new SeededRandom(deriveSeed(seed, 'label-fraction-groups')).shuffle(buildGroups(items));
  const totals = new Map<number, number>();
  for (const item of items) totals.set(item.stratum, (totals.get(item.stratum) ?? 0) + 1);
  const queues = new Map<number, Group[]>();
  for (const g of groups) {
    const q = queues.get(g.primary);
    if (q) q.push(g);
    else queues.set(g.primary, [g]);
  }
  const taken = new Map<number, number>();
  const order: number[][] = [];
  let placed = 0;
  for (let n = 0; n < groups.length; n++) {
    // the stratum furthest behind the count its share asks for at the next size
    let pick: number | null = null;
    let pickDeficit = -Infinity;
    for (const [stratum, queue] of queues) {
      if (!queue.length) continue;
      const deficit = ((placed + 1) * totals.get(stratum)!) / items.length - (taken.get(stratum) ?? 0);
      // Stryker disable next-line EqualityOperator,ConditionalExpression: equivalent, strata are distinct (`<` = `<=`), and a finite deficit equals pickDeficit only once pick is set
      if (deficit > pickDeficit || (deficit === pickDeficit && pick !== null && stratum < pick)) {
        pick = stratum;
        pickDeficit = deficit;
      }
    }
    const group = queues.get(pick!)!.shift()!;
    for (const [stratum, count] of group.counts) taken.set(stratum, (taken.get(stratum) ?? 0) + count);
    order.push(group.indices);
    placed += group.indices.length;
  }
  return order;
}

export function fractionTargetSize(fraction: number, total: number): number {
  if (!(fraction > 0 && fraction <= 100)) throw new Error(`label fraction ${fraction} is not a percentage in (0, 100]`);
  return Math.min(total, Math.max(1, Math.round((fraction / 100) * total)));
}

/** The subsets of every fraction for one seed (same order as `fractions`). */
export function labelFractionSubsets(items: readonly SubsetItem[], fractions: readonly number[], seed: number): FractionSubset[] {
  if (!items.length) throw new Error('labelFractionSubsets: the training split is empty');
  const order = stratifiedGroupOrder(items, seed);
  const allStrata = [...new Set(items.map((i) => i.stratum))].sort((a, b) => a - b);
  return fractions.map((fraction) => {
    const targetSize = fractionTargetSize(fraction, items.length);
    const indices: number[] = [];
    for (const group of order) {
      if (indices.length >= targetSize) break;
      indices.push(...group);
    }
    indices.sort((a, b) => a - b);
    const present = new Set(indices.map((i) => items[i]!.stratum));
    const missingStrata = allStrata.filter((s) => !present.has(s));
    return { fraction, targetSize, indices, missingStrata, tooSmall: missingStrata.length > 0 };
  });
}
