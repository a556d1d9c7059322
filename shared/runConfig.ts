/**
 * The configuration of a pretraining run: which tasks (catalog datasets or the
 * built-in synthetic dataset), the model, optimiser, schedule, duration,
 * batches, augmentation, backend and seed. Checks that need only the config
 * itself live here; checks against the catalog (dataset exists, class exists,
 * training images present) live in main/runs/validateRunConfig.
 */
import { z } from 'zod';

export const encoderNames = ['small-cnn', 'resnet18', 'resnet50', 'convnext-t'] as const;
export type RunEncoderName = (typeof encoderNames)[number];

export const taskKinds = ['classification', 'segmentation', 'detection'] as const;
export type RunTaskKind = (typeof taskKinds)[number];

/**
 * Tasks of the built-in synthetic microscopy dataset (main/engine/data/synthetic):
 * variant -> the label type it provides.
 */
export const syntheticVariants = {
  'cell-type-classification': 'classification',
  'cell-segmentation': 'segmentation',
  'cell-detection': 'detection',
  'cell-count-classification': 'classification',
  'brightfield-foreground-segmentation': 'segmentation',
  'brightfield-cell-type-classification': 'classification',
} as const satisfies Record<string, RunTaskKind>;
export type SyntheticVariant = keyof typeof syntheticVariants;
export const syntheticVariantNames = Object.keys(syntheticVariants) as SyntheticVariant[];

const splitSchema = z.enum(['train', 'val', 'test']);

export const catalogTaskSourceSchema = z
  .object({
    kind: z.literal('catalog'),
    datasetId: z.number().int().positive(),
  })
  .strict();

export const syntheticTaskSourceSchema = z
  .object({
    kind: z.literal('synthetic'),
    variant: z.enum(syntheticVariantNames as [SyntheticVariant, ...SyntheticVariant[]]),
    /** images per split (small defaults keep the demo quick) */
    counts: z
      .object({ train: z.number().int().min(1).max(100000), val: z.number().int().min(0).max(100000), test: z.number().int().min(0).max(100000) })
      .strict()
      .default({ train: 96, val: 24, test: 24 }),
    /** seed of the generated images (independent of the training seed) */
    seed: z.number().int().default(0),
  })
  .strict();

export const taskSourceSchema = z.discriminatedUnion('kind', [catalogTaskSourceSchema, syntheticTaskSourceSchema]);
export type TaskSource = z.output<typeof taskSourceSchema>;

export const classSelectionSchema = z
  .object({
    /** keep only these source classes (by name); images left with no class are dropped for classification */
    include: z.array(z.string().min(1)).min(1).optional(),
    /** rename / merge source classes: source name -> target name */
    map: z.record(z.string().min(1), z.string().min(1)).optional(),
  })
  .strict();
export type ClassSelection = z.output<typeof classSelectionSchema>;

export const runTaskConfigSchema = z
  .object({
    /** unique within the run; names the head, the metrics and the curves */
    name: z.string().min(1).max(100),
    kind: z.enum(taskKinds),
    source: taskSourceSchema,
    classes: classSelectionSchema.optional(),
    multiLabel: z.boolean().default(false),
    batchSize: z.number().int().min(1).max(512).default(8),
    trainSplit: splitSchema.default('train'),
    valSplit: splitSchema.default('val'),
    /** cap on training images (0 = all), e.g. for a quick trial */
    maxTrainImages: z.number().int().min(0).default(0),
    /** cap on validation images (0 = all) */
    maxValImages: z.number().int().min(0).default(0),
  })
  .strict();
export type RunTaskConfig = z.output<typeof runTaskConfigSchema>;

export const modelConfigSchema = z
  .object({
    encoder: z.enum(encoderNames).default('small-cnn'),
    inputSize: z.number().int().min(32).max(1024).default(64),
    squeezerWidth: z.number().int().min(8).max(4096).default(512),
    /** an exported encoder folder (umedpt export / runs/exportEncoder) to start from */
    initEncoderFrom: z.string().min(1).nullable().default(null),
  })
  .strict();

export const optimizerConfigSchema = z
  .object({
    kind: z.literal('adamw').default('adamw'),
    learningRate: z.number().positive().max(1).default(1e-4),
    weightDecay: z.number().min(0).max(1).default(1e-2),
  })
  .strict();

export const scheduleConfigSchema = z
  .object({
    kind: z.enum(['none', 'cosine', 'poly', 'step']).default('none'),
    /** steps of linear warm-up from 0 */
    warmupSteps: z.number().int().min(0).default(0),
    /** step schedule: multiply by gamma every stepSize steps */
    stepSize: z.number().int().min(1).default(1000),
    gamma: z.number().positive().max(1).default(0.1),
    /** poly schedule exponent */
    power: z.number().positive().default(0.9),
  })
  .strict();

export const augmentationConfigSchema = z
  .object({
    horizontalFlip: z.boolean().default(true),
    verticalFlip: z.boolean().default(true),
    rotate90: z.boolean().default(false),
    /** random zoom in / out (0.8x-1.25x, half of the images) */
    scale: z.boolean().default(false),
    /** brightness / contrast / noise jitter */
    intensity: z.boolean().default(false),
  })
  .strict();

const runConfigObjectSchema = z
  .object({
    name: z.string().min(1).max(200).default('pretraining run'),
    tasks: z.array(runTaskConfigSchema).min(1, 'a run needs at least one task'),
    model: modelConfigSchema.default(modelConfigSchema.parse({})),
    optimizer: optimizerConfigSchema.default(optimizerConfigSchema.parse({})),
    schedule: scheduleConfigSchema.default(scheduleConfigSchema.parse({})),
    /** training length: whole epochs (an epoch ends when the longest task was seen once) */
    epochs: z.number().int().min(1).max(100000).optional(),
    /** or a fixed number of steps (one batch of every task per step); wins over epochs */
    steps: z.number().int().min(1).max(10000000).optional(),
    /** also save the latest checkpoint every N steps (0 = only at epoch ends, where validation runs) */
    checkpointEverySteps: z.number().int().min(0).default(0),
    augmentation: augmentationConfigSchema.default(augmentationConfigSchema.parse({})),
    backend: z.enum(['auto', 'tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu']).default('auto'),
    seed: z.number().int().default(42),
  })
  .strict();

/** Problems visible in the config alone, one message per problem. */
function checkRunConfig(config: z.output<typeof runConfigObjectSchema>, ctx: z.RefinementCtx): void {
  if (config.epochs === undefined && config.steps === undefined) {
    ctx.addIssue({ code: 'custom', path: ['epochs'], message: 'set either epochs or steps' });
  }
  if (config.model.inputSize % 32 !== 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['model', 'inputSize'],
      message: `input size ${config.model.inputSize} is not divisible by 32 (the encoder halves the image 5 times); try ${Math.max(32, Math.round(config.model.inputSize / 32) * 32)}`,
    });
  }
  const seen = new Set<string>();
  config.tasks.forEach((task, i) => {
    if (seen.has(task.name)) ctx.addIssue({ code: 'custom', path: ['tasks', i, 'name'], message: `task name "${task.name}" is used twice` });
    seen.add(task.name);
    if (task.source.kind === 'synthetic') {
      const provides = syntheticVariants[task.source.variant];
      if (provides !== task.kind) {
        ctx.addIssue({
          code: 'custom',
          path: ['tasks', i, 'kind'],
          message: `task "${task.name}": synthetic variant ${task.source.variant} provides ${provides} labels, not ${task.kind}`,
        });
      }
      if (task.classes) ctx.addIssue({ code: 'custom', path: ['tasks', i, 'classes'], message: `task "${task.name}": class selection applies to catalog datasets only` });
    }
    if (task.trainSplit === task.valSplit) {
      ctx.addIssue({ code: 'custom', path: ['tasks', i, 'valSplit'], message: `task "${task.name}": validation split must differ from the training split (${task.trainSplit})` });
    }
    if (task.multiLabel && task.kind !== 'classification') {
      ctx.addIssue({ code: 'custom', path: ['tasks', i, 'multiLabel'], message: `task "${task.name}": multi-label applies to classification only` });
    }
  });
}

export const runConfigSchema = runConfigObjectSchema.superRefine(checkRunConfig);
export type RunConfig = z.output<typeof runConfigSchema>;
export type RunConfigInput = z.input<typeof runConfigSchema>;

/** One problem of a config: where (dotted path) and what. */
export interface RunConfigProblem {
  path: string;
  message: string;
}

export function parseRunConfig(input: unknown): { ok: true; config: RunConfig } | { ok: false; problems: RunConfigProblem[] } {
  const parsed = runConfigSchema.safeParse(input);
  if (parsed.success) return { ok: true, config: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
  };
}

export function formatRunConfigProblems(problems: readonly RunConfigProblem[]): string {
  return problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('\n');
}
