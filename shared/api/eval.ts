/**
 * Label-efficiency studies: how much labelled data a pretrained encoder saves
 * on a new task. A study trains a downstream head (or the whole network) on
 * nested, class-stratified fractions of the task's training split, for every
 * encoder, mode and seed, and scores each on the fixed test split. Progress
 * arrives as 'eval/progress'; the table, plot and HTML report come from
 * eval/results once the study has completed.
 */
import { z } from 'zod';
import { endpoint } from './endpoint';
import { encoderNames, syntheticVariantNames, type RunTaskKind, type SyntheticVariant } from '../runConfig';
import { splitNameSchema, taskKindSchema, type BackendChoice } from '../vocabulary';

/** The encoder a study evaluates: a run's checkpoint, an exported folder, or random initialisation. */
export const evalEncoderSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('run'),
      runId: z.string().min(1),
      checkpoint: z.enum(['latest', 'best']).default('best'),
      /** name in the table and the plot legend (default: the run's name) */
      label: z.string().min(1).max(100).optional(),
    })
    .strict(),
  z
    .object({
      /** a folder holding umedpt-encoder.json (runs/exportEncoder, or weights the user loads) */
      kind: z.literal('exported'),
      dir: z.string().min(1),
      label: z.string().min(1).max(100).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('random'),
      /** architecture of the randomly initialised encoder (the baseline) */
      encoder: z.enum(encoderNames).default('small-cnn'),
      squeezerWidth: z.number().int().min(8).max(4096).default(512),
      label: z.string().min(1).max(100).optional(),
    })
    .strict(),
]);
export type EvalEncoder = z.output<typeof evalEncoderSchema>;

export const evalTaskSourceSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('synthetic'),
      variant: z.enum(syntheticVariantNames as [SyntheticVariant, ...SyntheticVariant[]]),
      counts: z
        .object({ train: z.number().int().min(1).max(100000), test: z.number().int().min(1).max(100000) })
        .strict()
        .default({ train: 400, test: 120 }),
      seed: z.number().int().default(0),
    })
    .strict(),
  z
    .object({
      kind: z.literal('catalog'),
      datasetId: z.number().int().positive(),
      /** split the fractions are drawn from */
      trainSplit: splitNameSchema.default('train'),
      /** split every result is scored on; never trained on */
      testSplit: splitNameSchema.default('test'),
      /** cap on images read per split (0 = all), keeps a trial quick */
      maxImagesPerSplit: z.number().int().min(0).default(0),
    })
    .strict(),
]);
export type EvalTaskSource = z.output<typeof evalTaskSourceSchema>;

/**
 * frozen: the encoder's weights stay fixed; classification trains a linear head on
 * the squeezer vector (embeddings computed once), segmentation / detection train
 * the decoder and head. finetune: every weight trains, starting from the encoder.
 */
export const evalModes = ['frozen', 'finetune'] as const;
export type EvalMode = (typeof evalModes)[number];

export const defaultEvalFractions = [1, 5, 10, 25, 50, 100];

export const evalConfigSchema = z
  .object({
    name: z.string().min(1).max(200).default('label-efficiency study'),
    encoders: z.array(evalEncoderSchema).min(1, 'a study needs at least one encoder'),
    task: z
      .object({
        name: z.string().min(1).max(100).default('downstream'),
        kind: taskKindSchema,
        source: evalTaskSourceSchema,
      })
      .strict(),
    /** percentages of the training split, each in (0, 100] */
    fractions: z.array(z.number().gt(0).max(100)).min(1).default(defaultEvalFractions),
    /** how many seeds per (encoder, mode, fraction): seeds 0..n-1 */
    seeds: z.number().int().min(1).max(20).default(3),
    modes: z.array(z.enum(evalModes)).min(1).default(['frozen']),
    /** side the images are resized to (a multiple of 32) */
    inputSize: z.number().int().min(32).max(1024).default(64),
    /** linear probe: full passes over the cached embeddings */
    linearEpochs: z.number().int().min(1).max(10000).default(200),
    linearLearningRate: z.number().positive().max(1).default(1e-2),
    /** trained heads and fine-tuning: passes over the subset (at least minSteps steps) */
    epochs: z.number().int().min(1).max(10000).default(10),
    minSteps: z.number().int().min(0).max(100000).default(20),
    learningRate: z.number().positive().max(1).default(1e-3),
    /**
     * fine-tuning: learning rate of the pretrained (shared) weights, encoder and
     * decoders; heads keep learningRate. Default learningRate / 10, so a short
     * fine-tune adapts the encoder without overwriting it.
     */
    encoderLearningRate: z.number().positive().max(1).optional(),
    batchSize: z.number().int().min(1).max(512).default(16),
    backend: z.enum(['auto', 'wasm', 'cpu'] as const satisfies readonly BackendChoice[]).default('auto'),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.inputSize % 32 !== 0) ctx.addIssue({ code: 'custom', path: ['inputSize'], message: `inputSize must be a multiple of 32, got ${config.inputSize}` });
    if (new Set(config.fractions).size !== config.fractions.length) ctx.addIssue({ code: 'custom', path: ['fractions'], message: 'fractions must not repeat' });
  });
export type EvalConfig = z.output<typeof evalConfigSchema>;
export type EvalConfigInput = z.input<typeof evalConfigSchema>;

export const evalStates = ['queued', 'running', 'completed', 'cancelled', 'failed'] as const;
export type EvalState = (typeof evalStates)[number];

/** One trained-and-scored combination: a row of the results table. */
export interface EvalResultRow {
  encoder: string;
  mode: EvalMode;
  /** percent of the training split asked for */
  fraction: number;
  seed: number;
  /** images actually in the subset (group-aware subsets may overshoot a little) */
  trainImages: number;
  testImages: number;
  /** ok, or tooSmall: the fraction cannot hold one example per class; not trained, not enlarged */
  status: 'ok' | 'tooSmall';
  note?: string;
  /** metric name -> value on the test split, e.g. accuracy, balancedAccuracy, macroF1, auroc, dice, mAP50 */
  metrics: Record<string, number>;
  seconds: number;
}

/** Mean and spread over seeds of the primary metric: one point of one plot line. */
export interface EvalCurvePoint {
  fraction: number;
  mean: number;
  sd: number;
  min: number;
  max: number;
  seeds: number;
}

export interface EvalCurve {
  encoder: string;
  mode: EvalMode;
  points: EvalCurvePoint[];
}

/** The score gap (encoder minus baseline) at one fraction, with its bootstrap interval (null with one seed). */
export interface EvalSavingGap {
  fraction: number;
  gap: number;
  low: number | null;
  high: number | null;
}

/**
 * How many labels an encoder saves against the baseline (random
 * initialisation) of the same mode: the smallest fraction at which its mean
 * primary metric reaches the baseline's score at the baseline's largest
 * fraction (normally 100 %).
 */
export interface EvalSaving {
  encoder: string;
  mode: EvalMode;
  baseline: string;
  metric: string;
  /** the baseline's largest fraction and its mean score there: the score to reach */
  baselineFraction: number;
  baselineScore: number;
  /**
   * the level the baseline must clearly beat to be a reference: the metric's
   * chance level (balanced accuracy 1 / classes, AUROC 0.5), 0 where none is
   * defined (Dice, mAP)
   */
  chance: number;
  /**
   * null when the baseline is a meaningful reference; otherwise why not: its
   * largest-fraction score is not clearly above chance, or does not clearly
   * rise from its smallest fraction (studySavings.ts, docs/eval.md). Then no
   * saving is stated and reachedAt / reachedAtInterval are null.
   */
  noMeaningfulBaseline: string | null;
  /** smallest fraction reaching it; null when no fraction does (or the baseline is not meaningful) */
  reachedAt: number | null;
  /** bootstrap interval of reachedAt over seeds (an end is null where the resample does not reach it); null with one seed */
  reachedAtInterval: [number | null, number | null] | null;
  /** fewest seeds behind any point used */
  seeds: number;
  gaps: EvalSavingGap[];
  /** the saving in one sentence, for the CLI, the report and the page */
  statement: string;
}

export interface EvalProgress {
  done: number;
  total: number;
}

export interface EvalSummary {
  id: string;
  name: string;
  state: EvalState;
  createdAt: string;
  updatedAt: string;
  /** <dataDir>/evals/<id> */
  folder: string;
  taskName: string;
  taskKind: RunTaskKind;
  encoders: string[];
  progress: EvalProgress;
  error: string | null;
}

export interface EvalDetail extends EvalSummary {
  config: EvalConfig;
  pid: number | null;
}

/** Absolute paths of a completed study's outputs. */
export interface EvalFiles {
  csv: string;
  json: string;
  svg: string;
  png: string;
  html: string;
}

export interface EvalResults {
  id: string;
  state: EvalState;
  /** the metric plotted (accuracy, dice or mAP50) */
  primaryMetric: string;
  rows: EvalResultRow[];
  curves: EvalCurve[];
  /** labels saved by each encoder against random initialisation (empty without a random baseline) */
  savings: EvalSaving[];
  /** the label-efficiency plot as SVG text (null until the study completed) */
  svg: string | null;
  files: EvalFiles | null;
}

export interface EvalProgressEvent {
  evalId: string;
  time: string;
  state: EvalState;
  progress: EvalProgress;
  message?: string;
  /** the row just finished, if any */
  row?: EvalResultRow;
}

const idRequest = z.object({ id: z.string().min(1) }).strict();

export const evalApi = {
  'eval/launch': endpoint<EvalSummary>()(z.object({ config: evalConfigSchema }).strict()),
  'eval/list': endpoint<EvalSummary[]>()(z.object({}).strict()),
  'eval/get': endpoint<EvalDetail>()(idRequest),
  'eval/cancel': endpoint<EvalSummary>()(idRequest),
  'eval/results': endpoint<EvalResults>()(idRequest),
};
