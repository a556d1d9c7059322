/**
 * The saving a study exists to state: for each encoder, the smallest label
 * fraction at which its mean score reaches the baseline's score with all of
 * the baseline's labels (its largest fraction, normally 100 %), and the score
 * gap to the baseline at every fraction. Intervals come from a seeded
 * percentile bootstrap over seeds: each replicate resamples every
 * (encoder, fraction) list of seed scores with replacement and recomputes
 * the statistic. With one seed there is nothing to resample and the interval
 * is reported as absent rather than as a zero-width band.
 *
 * A saving is only stated against a meaningful baseline. The baseline must
 * (1) score clearly above chance with all of its labels: the lower end of the
 * bootstrap interval of its largest-fraction mean (with one seed, the score
 * itself) above chance + `meaningfulMargin`; and (2) clearly improve with
 * labels: the lower end of the interval of (largest-fraction mean minus
 * smallest-fraction mean) above `meaningfulMargin`. A baseline at chance, or
 * one whose curve is flat, needs none of its labels, so "reaches it with x %"
 * would be a saving of nothing: the statement says "no meaningful baseline".
 */
import type { EvalEncoder, EvalMode, EvalResultRow, EvalSaving, EvalSavingGap } from '../../shared/api/eval';
import { SeededRandom } from '../../shared/seededRandom';

export interface SavingsOptions {
  /** bootstrap replicates (default 2,000) */
  replicates?: number;
  /** two-sided coverage of the intervals (default 0.95) */
  coverage?: number;
  /** seed of the bootstrap's generator, so a report is reproducible */
  seed?: number;
  /** the metric's chance level (labelEfficiencyPlot's chanceLevel); null or absent: 0 */
  chance?: number | null;
}

/** how far (in metric units, on a 0-1 scale) a baseline's interval must clear chance, and its rise with labels */
export const meaningfulMargin = 0.02;

/** The table and legend name of a randomly initialised encoder: the study's baseline. */
export function randomEncoderLabel(source: Extract<EvalEncoder, { kind: 'random' }>): string {
  return source.label ?? `random init (${source.encoder})`;
}

/** Labels of the study's baselines (its random-initialisation encoders), in config order. */
export function baselineLabels(config: { encoders: readonly EvalEncoder[] }): string[] {
  return config.encoders.flatMap((e) => (e.kind === 'random' ? [randomEncoderLabel(e)] : []));
}

type SeedScores = Map<number, number[]>;

/** primary-metric scores of trained rows per fraction, for one (encoder, mode) */
function scoresByFraction(rows: readonly EvalResultRow[], encoder: string, mode: EvalMode, metric: string): SeedScores {
  const byFraction: SeedScores = new Map();
  for (const row of rows) {
    if (row.encoder !== encoder || row.mode !== mode || row.status !== 'ok') continue;
    const value = row.metrics[metric];
    if (value === undefined || !Number.isFinite(value)) continue;
    const list = byFraction.get(row.fraction);
    if (list) list.push(value);
    else byFraction.set(row.fraction, [value]);
  }
  return byFraction;
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

function resampledMean(values: readonly number[], random: SeededRandom): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[random.int(0, values.length - 1)]!;
  return sum / values.length;
}

/** the smallest fraction whose mean reaches the target; Infinity when none does */
function reachFraction(means: ReadonlyArray<readonly [number, number]>, target: number): number {
  for (const [fraction, value] of means) if (value >= target) return fraction;
  return Number.POSITIVE_INFINITY;
}

/** the q-quantile of sorted values (nearest rank), Infinity preserved */
function quantile(sorted: readonly number[], q: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index]!;
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function percent(fraction: number): string {
  return `${Number(fraction.toPrecision(3))} %`;
}

function score(value: number): string {
  return value.toFixed(3);
}

/** lower end of the bootstrap interval of mean(a) - mean(b) (b empty: of mean(a)); with one seed each, the point value */
function lowerBound(a: readonly number[], b: readonly number[], replicates: number, tail: number, random: SeededRandom): number {
  const point = mean(a) - (b.length > 0 ? mean(b) : 0);
  if (Math.min(a.length, b.length > 0 ? b.length : a.length) < 2) return point;
  const samples: number[] = [];
  for (let r = 0; r < replicates; r++) samples.push(resampledMean(a, random) - (b.length > 0 ? resampledMean(b, random) : 0));
  return quantile(samples.sort((x, y) => x - y), tail);
}

/**
 * Why the baseline is no reference (null when it is one): not clearly above
 * chance with its largest fraction, or not clearly rising from its smallest.
 */
export function baselineProblem(baseline: string, scores: ReadonlyMap<number, readonly number[]>, chance: number, options: { replicates: number; tail: number; seed: number }): string | null {
  const fractions = [...scores.keys()].sort((a, b) => a - b);
  const largest = fractions[fractions.length - 1]!;
  const full = scores.get(largest)!;
  const random = new SeededRandom(options.seed);
  const fullLow = lowerBound(full, [], options.replicates, options.tail, random);
  if (fullLow <= chance + meaningfulMargin) {
    const spread = full.length > 1 ? `, interval over seeds from ${score(fullLow)}` : ', 1 seed';
    return `${baseline}'s ${percent(largest)}-label score (${score(mean(full))}${spread}) is not clearly above chance (${score(chance)}, by more than ${meaningfulMargin})`;
  }
  if (fractions.length > 1) {
    const smallest = fractions[0]!;
    const riseLow = lowerBound(full, scores.get(smallest)!, options.replicates, options.tail, random);
    if (riseLow <= meaningfulMargin) {
      return `${baseline}'s score does not clearly rise with labels (${percent(smallest)}: ${score(mean(scores.get(smallest)!))}, ${percent(largest)}: ${score(mean(full))})`;
    }
  }
  return null;
}

/** One sentence a reader can quote, e.g. "reaches random init's 100 %-label score (0.712) with 10 % of the labels (5-25 %)". */
export function savingStatement(saving: Omit<EvalSaving, 'statement'>): string {
  if (saving.noMeaningfulBaseline !== null) return `no meaningful baseline, so no saving is stated for ${saving.encoder}: ${saving.noMeaningfulBaseline}`;
  const target = `${saving.baseline}'s ${percent(saving.baselineFraction)}-label score (${saving.baselineScore.toFixed(3)})`;
  if (saving.reachedAt === null) {
    const upTo = saving.gaps.length > 0 ? ` up to ${percent(saving.gaps[saving.gaps.length - 1]!.fraction)} of the labels` : '';
    return `${saving.encoder} does not reach ${target}${upTo}`;
  }
  let interval = '';
  if (saving.reachedAtInterval) {
    const [low, high] = saving.reachedAtInterval;
    interval = ` (${low === null ? 'not reached' : percent(low)} to ${high === null ? 'not reached' : percent(high)} over bootstrap resamples of the seeds)`;
  }
  return `${saving.encoder} reaches ${target} with ${percent(saving.reachedAt)} of the labels${interval}`;
}

/**
 * Savings of every non-baseline encoder against the baseline of the same
 * mode. `baselines` are the encoder labels that count as the reference
 * (random initialisation); the first one present in a mode is used.
 */
export function studySavings(rows: readonly EvalResultRow[], metric: string, baselines: readonly string[], options: SavingsOptions = {}): EvalSaving[] {
  const replicates = options.replicates ?? 2000;
  const tail = (1 - (options.coverage ?? 0.95)) / 2;
  const series = new Map<string, { encoder: string; mode: EvalMode }>();
  for (const row of rows) series.set(JSON.stringify([row.encoder, row.mode]), { encoder: row.encoder, mode: row.mode });
  const savings: EvalSaving[] = [];
  for (const mode of [...new Set([...series.values()].map((s) => s.mode))]) {
    const baseline = baselines.find((label) => series.has(JSON.stringify([label, mode])));
    if (baseline === undefined) continue;
    const baselineScores = scoresByFraction(rows, baseline, mode, metric);
    if (baselineScores.size === 0) continue;
    const baselineFraction = Math.max(...baselineScores.keys());
    const baselineFull = baselineScores.get(baselineFraction)!;
    const chance = options.chance ?? 0;
    const noMeaningfulBaseline = baselineProblem(baseline, baselineScores, chance, { replicates, tail, seed: options.seed ?? 0 });
    for (const { encoder } of [...series.values()].filter((s) => s.mode === mode && s.encoder !== baseline)) {
      const scores = scoresByFraction(rows, encoder, mode, metric);
      const fractions = [...scores.keys()].sort((a, b) => a - b);
      if (fractions.length === 0) continue;
      const random = new SeededRandom(options.seed ?? 0);
      const target = mean(baselineFull);
      const reachedAt = reachFraction(fractions.map((f) => [f, mean(scores.get(f)!)] as const), target);
      const seeds = Math.min(...fractions.map((f) => scores.get(f)!.length), baselineFull.length);
      // bootstrap replicates: reach fraction, and the gap at each fraction the baseline also has
      const reachSamples: number[] = [];
      const gapFractions = fractions.filter((f) => baselineScores.has(f));
      const gapSamples = gapFractions.map(() => [] as number[]);
      for (let r = 0; r < replicates; r++) {
        const resampled = fractions.map((f) => [f, resampledMean(scores.get(f)!, random)] as const);
        reachSamples.push(reachFraction(resampled, resampledMean(baselineFull, random)));
        gapFractions.forEach((f, i) => {
          const own = resampled.find(([g]) => g === f)![1];
          gapSamples[i]!.push(own - resampledMean(baselineScores.get(f)!, random));
        });
      }
      reachSamples.sort((a, b) => a - b);
      const gaps: EvalSavingGap[] = gapFractions.map((f, i) => {
        const sorted = gapSamples[i]!.sort((a, b) => a - b);
        const gap = mean(scores.get(f)!) - mean(baselineScores.get(f)!);
        const withInterval = seeds > 1;
        return { fraction: f, gap, low: withInterval ? quantile(sorted, tail) : null, high: withInterval ? quantile(sorted, 1 - tail) : null };
      });
      const saving: Omit<EvalSaving, 'statement'> = {
        encoder,
        mode,
        baseline,
        metric,
        baselineFraction,
        baselineScore: target,
        chance,
        noMeaningfulBaseline,
        reachedAt: noMeaningfulBaseline === null ? finiteOrNull(reachedAt) : null,
        reachedAtInterval: seeds > 1 && noMeaningfulBaseline === null ? [finiteOrNull(quantile(reachSamples, tail)), finiteOrNull(quantile(reachSamples, 1 - tail))] : null,
        seeds,
        gaps,
      };
      savings.push({ ...saving, statement: savingStatement(saving) });
    }
  }
  return savings;
}
