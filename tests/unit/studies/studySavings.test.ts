import { describe, expect, it } from 'vitest';
import { baselineLabels, studySavings } from '../../../main/studies/studySavings';
import { chanceLevel, labelEfficiencySpec } from '../../../main/studies/labelEfficiencyPlot';
import { aggregateCurves } from '../../../main/studies/studyCurves';
import { evalConfigSchema, type EvalMode, type EvalResultRow } from '../../../shared/api/eval';

function row(encoder: string, fraction: number, seed: number, value: number, mode: EvalMode = 'frozen'): EvalResultRow {
  return { encoder, mode, fraction, seed, trainImages: fraction, testImages: 40, status: 'ok', metrics: { dice: value }, seconds: 0.1 };
}

/** scores per fraction, one value per seed */
function series(encoder: string, byFraction: Record<number, number[]>, mode: EvalMode = 'frozen'): EvalResultRow[] {
  return Object.entries(byFraction).flatMap(([f, values]) => values.map((v, seed) => row(encoder, Number(f), seed, v, mode)));
}

const random = 'random init (small-cnn)';

describe('studySavings', () => {
  it('finds the smallest fraction whose mean reaches the baseline full-data mean, with gaps per fraction', () => {
    const rows = [
      ...series(random, { 1: [0.2, 0.22, 0.24], 10: [0.4, 0.42, 0.44], 100: [0.6, 0.62, 0.64] }),
      // mean at 10 % is 0.63 >= 0.62; at 1 % 0.5 < 0.62
      ...series('pretrained', { 1: [0.49, 0.5, 0.51], 10: [0.62, 0.63, 0.64], 100: [0.8, 0.81, 0.82] }),
    ];
    const [saving, ...rest] = studySavings(rows, 'dice', [random], { replicates: 500 });
    expect(rest).toEqual([]);
    expect(saving).toMatchObject({ encoder: 'pretrained', baseline: random, mode: 'frozen', baselineFraction: 100, reachedAt: 10, seeds: 3 });
    expect(saving!.baselineScore).toBeCloseTo(0.62, 12);
    expect(saving!.gaps.map((g) => g.fraction)).toEqual([1, 10, 100]);
    expect(saving!.gaps[0]!.gap).toBeCloseTo(0.5 - 0.22, 12);
    expect(saving!.gaps[2]!.gap).toBeCloseTo(0.81 - 0.62, 12);
    // interval of a clear gap excludes 0 and contains the point estimate
    for (const g of saving!.gaps) {
      expect(g.low!).toBeGreaterThan(0);
      expect(g.low!).toBeLessThanOrEqual(g.gap);
      expect(g.high!).toBeGreaterThanOrEqual(g.gap);
    }
    // resampled seeds at 10 % straddle the target (0.62..0.64 vs 0.60..0.64): some replicates need 100 %
    const [low, high] = saving!.reachedAtInterval!;
    expect(low).toBe(10);
    expect([10, 100, null]).toContain(high);
    expect(saving!.statement).toBe(`pretrained reaches ${random}'s 100 %-label score (0.620) with 10 % of the labels (10 % to ${high === null ? 'not reached' : `${high} %`} over bootstrap resamples of the seeds)`);
  });

  it('says so when an encoder never reaches the baseline, and the gap is negative', () => {
    const rows = [...series(random, { 10: [0.5, 0.6], 100: [0.7, 0.8] }), ...series('worse', { 10: [0.3, 0.31], 100: [0.6, 0.61] })];
    const [saving] = studySavings(rows, 'dice', [random], { replicates: 200 });
    expect(saving!.reachedAt).toBeNull();
    expect(saving!.reachedAtInterval).toEqual([null, null]);
    expect(saving!.gaps[1]!.gap).toBeCloseTo(0.605 - 0.75, 12);
    expect(saving!.gaps[1]!.high!).toBeLessThan(0);
    expect(saving!.statement).toBe(`worse does not reach ${random}'s 100 %-label score (0.750) up to 100 % of the labels`);
  });

  it('reports no interval with one seed instead of a zero-width one', () => {
    const rows = [...series(random, { 5: [0.3], 50: [0.5] }), ...series('pre', { 5: [0.55], 50: [0.7] })];
    const [saving] = studySavings(rows, 'dice', [random]);
    expect(saving).toMatchObject({ reachedAt: 5, reachedAtInterval: null, seeds: 1, baselineFraction: 50 });
    expect(saving!.gaps.every((g) => g.low === null && g.high === null)).toBe(true);
    expect(saving!.statement).toBe(`pre reaches ${random}'s 50 %-label score (0.500) with 5 % of the labels`);
  });

  it('compares within a mode only and ignores untrained rows', () => {
    const rows: EvalResultRow[] = [
      ...series(random, { 1: [0.1], 100: [0.5] }, 'frozen'),
      ...series(random, { 1: [0.3], 100: [0.9] }, 'finetune'),
      ...series('pre', { 1: [0.6], 100: [0.7] }, 'frozen'),
      ...series('pre', { 1: [0.6], 100: [0.95] }, 'finetune'),
      { ...row('pre', 1, 1, 0, 'frozen'), status: 'tooSmall', metrics: {} },
    ];
    const savings = studySavings(rows, 'dice', [random]);
    expect(savings.map((s) => [s.mode, s.reachedAt])).toEqual([
      ['frozen', 1],
      ['finetune', 100],
    ]);
  });

  it('states nothing without a baseline in the study, and is reproducible for a seed', () => {
    const rows = [...series('a', { 1: [0.2, 0.3], 100: [0.5, 0.6] }), ...series('b', { 1: [0.4, 0.5], 100: [0.6, 0.7] })];
    expect(studySavings(rows, 'dice', [random])).toEqual([]);
    const twice = [studySavings(rows, 'dice', ['a'], { seed: 3 }), studySavings(rows, 'dice', ['a'], { seed: 3 })];
    expect(twice[0]).toEqual(twice[1]);
  });

  it('states no saving when the baseline is not clearly above chance with all its labels', () => {
    // balanced accuracy over 3 classes: chance 1/3; random's 100 % seeds 0.33-0.40 (mean 0.363), its interval reaches down to 0.33
    const rows = [...series(random, { 10: [0.3, 0.32, 0.31], 100: [0.33, 0.36, 0.4] }), ...series('pre', { 10: [0.5, 0.52, 0.51], 100: [0.6, 0.62, 0.61] })];
    const [atChance] = studySavings(rows, 'dice', [random], { chance: 1 / 3, replicates: 500 });
    expect(atChance).toMatchObject({ encoder: 'pre', chance: 1 / 3, reachedAt: null, reachedAtInterval: null });
    expect(atChance!.noMeaningfulBaseline).toBe(`${random}'s 100 %-label score (0.363, interval over seeds from 0.330) is not clearly above chance (0.333, by more than 0.02)`);
    expect(atChance!.statement).toBe(`no meaningful baseline, so no saving is stated for pre: ${atChance!.noMeaningfulBaseline}`);
    // the gaps are still reported
    expect(atChance!.gaps[1]!.gap).toBeCloseTo(0.61 - 0.363333, 5);
    // the same scores against a chance of 0 (e.g. Dice) are a meaningful baseline, and pre reaches it at 10 %
    const [againstZero] = studySavings(rows, 'dice', [random], { replicates: 500 });
    expect(againstZero).toMatchObject({ chance: 0, noMeaningfulBaseline: null, reachedAt: 10 });
    // one seed: the score itself must clear chance + margin
    const oneSeed = [...series(random, { 10: [0.2], 100: [0.35] }), ...series('pre', { 10: [0.6], 100: [0.7] })];
    expect(studySavings(oneSeed, 'dice', [random], { chance: 1 / 3 })[0]!.noMeaningfulBaseline).toBe(`${random}'s 100 %-label score (0.350, 1 seed) is not clearly above chance (0.333, by more than 0.02)`);
    expect(studySavings(oneSeed, 'dice', [random], { chance: 0.32 })[0]!.noMeaningfulBaseline).toBeNull();
  });

  it('states no saving when the baseline does not clearly improve with labels (a flat curve)', () => {
    const flat = [...series(random, { 1: [0.6, 0.62, 0.61], 100: [0.61, 0.63, 0.62] }), ...series('pre', { 1: [0.7, 0.71, 0.72], 100: [0.8, 0.8, 0.8] })];
    const [saving] = studySavings(flat, 'dice', [random], { chance: 0.25, replicates: 500 });
    expect(saving!.reachedAt).toBeNull();
    expect(saving!.statement).toBe(`no meaningful baseline, so no saving is stated for pre: ${random}'s score does not clearly rise with labels (1 %: 0.610, 100 %: 0.620)`);
    // a clear rise (every resample rises by more than the margin) makes it a reference again
    const rising = [...series(random, { 1: [0.5, 0.52, 0.51], 100: [0.61, 0.63, 0.62] }), ...series('pre', { 1: [0.7, 0.71, 0.72], 100: [0.8, 0.8, 0.8] })];
    expect(studySavings(rising, 'dice', [random], { chance: 0.25, replicates: 500 })[0]).toMatchObject({ noMeaningfulBaseline: null, reachedAt: 1 });
  });

  it('takes the baselines from the config: random encoders with their labels', () => {
    const config = evalConfigSchema.parse({
      encoders: [{ kind: 'exported', dir: '/x' }, { kind: 'random', encoder: 'resnet18' }, { kind: 'random', label: 'scratch' }],
      task: { kind: 'classification', source: { kind: 'synthetic', variant: 'cell-count-classification' } },
    });
    expect(baselineLabels(config)).toEqual(['random init (resnet18)', 'scratch']);
  });
});

describe('label-efficiency plot', () => {
  it('draws chance where it is defined and an axis over the whole metric range', () => {
    expect(chanceLevel('balancedAccuracy', 4)).toBe(0.25);
    expect(chanceLevel('auroc', 7)).toBe(0.5);
    expect(chanceLevel('dice', 3)).toBeNull();
    const curves = aggregateCurves([...series('a', { 1: [0.5, 0.52], 10: [0.53] })], 'dice');
    const spec = labelEfficiencySpec(curves, { title: 't', metric: 'dice', chance: 0.25 }) as unknown as {
      layer: Array<{ mark: { type: string }; data: { values: Array<Record<string, number>> }; encoding: { y: { scale: { domain: number[] } } } }>;
    };
    expect(spec.layer.map((l) => l.mark.type)).toEqual(['area', 'rule', 'line']);
    expect(spec.layer[1]!.data.values).toEqual([{ chance: 0.25 }]);
    expect(spec.layer[2]!.encoding.y.scale.domain).toEqual([0, 1]);
    // the 1-seed point at 10 % has no band
    expect(spec.layer[0]!.data.values.map((v) => v.fraction)).toEqual([1]);
  });
});
