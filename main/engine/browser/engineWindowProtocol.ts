/**
 * The messages between the training process and the engine page (the desktop
 * app's hidden engine window) over their MessagePort. The training process
 * owns the run (data, sampler, schedule, metrics log, checkpoints on disk);
 * the page owns the model and its optimizers on Chromium's WebGPU. Both sides
 * validate what they receive with these schemas: a page or a process that
 * sends something else gets a named error, never a crash.
 * Runtime-neutral (bundled into the page): zod and types only.
 */
import { z } from 'zod';
import { encoderNameSchema, taskKindSchema } from '../../../shared/vocabulary';

const finite = z.number().finite();
// z.custom keeps the plain typed-array types (z.instanceof narrows them to ArrayBuffer-backed ones)
const float32Array = z.custom<Float32Array>((v) => v instanceof Float32Array, { message: 'expected a Float32Array' });
const uint8Array = z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'expected a Uint8Array' });
const count = z.number().int().positive();

export const engineModelConfigSchema = z.object({
  encoder: encoderNameSchema,
  inputSize: z.number().int().min(32).max(1024).multipleOf(32),
  squeezerWidth: count.optional(),
  detectionWidth: count.optional(),
  seed: z.number().int().optional(),
  tasks: z
    .array(z.object({ name: z.string().min(1).max(200), kind: taskKindSchema, numClasses: count.max(10_000), multiLabel: z.boolean().optional() }).strict())
    .min(1)
    .max(64),
}).strict();

const pixelBoxSchema = z.object({ x: finite, y: finite, w: finite, h: finite, classId: z.number().int().nonnegative() }).strict();

/** one task's batch, typed arrays kept (structured clone carries them) */
export const engineBatchSchema = z
  .object({
    task: z.string().min(1),
    kind: taskKindSchema,
    size: count,
    batchSize: count,
    images: float32Array,
    labels: z.array(z.union([z.number().int(), z.array(z.number().int())])).optional(),
    masks: uint8Array.optional(),
    boxes: z.array(z.array(pixelBoxSchema)).optional(),
  })
  .strict()
  .refine((b) => b.images.length === b.batchSize * b.size * b.size * 3, { message: 'images must hold batchSize x size x size x 3 values' })
  .refine((b) => b.masks === undefined || b.masks.length === b.batchSize * b.size * b.size, { message: 'masks must hold batchSize x size x size values' });

export const engineStepSettingsSchema = z
  .object({
    learningRate: finite.nonnegative(),
    headLearningRate: finite.nonnegative(),
    clipGradNorm: finite.positive().optional(),
    dropoutSeeds: z.array(z.number().int()),
  })
  .strict();

const weightArraySchema = z.object({ key: z.string().min(1), shape: z.array(z.number().int().nonnegative()), values: float32Array }).strict();

const optimizerStateSchema = z.object({ steps: z.array(z.number().int().nonnegative()), m: z.array(float32Array), v: z.array(float32Array) }).strict();

export const engineOptimizerStatesSchema = z.object({ shared: optimizerStateSchema, heads: z.record(z.string(), optimizerStateSchema) }).strict();

const id = z.number().int().nonnegative();

export const engineRequestSchema = z.discriminatedUnion('type', [
  z.object({ id, type: z.literal('start') }).strict(),
  z.object({ id, type: z.literal('createModel'), config: engineModelConfigSchema, weightDecay: finite.nonnegative().optional() }).strict(),
  z
    .object({ id, type: z.literal('step'), batches: z.array(engineBatchSchema).min(1), settings: engineStepSettingsSchema })
    .strict()
    .refine((r) => r.settings.dropoutSeeds.length === r.batches.length, { message: 'one dropout seed per batch' }),
  /** the model's weights and both optimizers' state: what a checkpoint holds */
  z.object({ id, type: z.literal('state') }).strict(),
  /** restores a checkpoint's weights (and the optimizers' state when given) */
  z.object({ id, type: z.literal('setState'), weights: z.array(weightArraySchema), optimizers: engineOptimizerStatesSchema.optional() }).strict(),
]);

export const engineAdapterSchema = z.object({ vendor: z.string(), architecture: z.string(), description: z.string(), software: z.boolean() }).strict();

export const engineResponseSchema = z.discriminatedUnion('type', [
  z.object({ id, ok: z.literal(true), type: z.literal('start'), backend: z.string(), adapter: engineAdapterSchema }).strict(),
  z.object({ id, ok: z.literal(true), type: z.literal('step'), losses: z.record(z.string(), z.number()) }).strict(),
  z.object({ id, ok: z.literal(true), type: z.literal('state'), weights: z.array(weightArraySchema), optimizers: engineOptimizerStatesSchema }).strict(),
  z.object({ id, ok: z.literal(true), type: z.literal('done') }).strict(),
  /** id null: the page could not even read the request's id */
  z.object({ id: id.nullable(), ok: z.literal(false), type: z.literal('error'), message: z.string() }).strict(),
]);

export type EngineRequest = z.infer<typeof engineRequestSchema>;
export type EngineResponse = z.infer<typeof engineResponseSchema>;
export type EngineModelConfig = z.infer<typeof engineModelConfigSchema>;
export type EngineOptimizerStates = z.infer<typeof engineOptimizerStatesSchema>;
export type EngineStepSettings = z.infer<typeof engineStepSettingsSchema>;
export type EngineWeightArray = z.infer<typeof weightArraySchema>;
export type EngineAdapter = z.infer<typeof engineAdapterSchema>;

/** A request without its id (the client numbers them). */
export type EngineRequestBody = EngineRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** The first problem zod found, as one line: path and message. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid message';
  return `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`;
}

/**
 * What the main process and the training process say to each other about
 * the engine window (over the training process's own parent channel, beside
 * the run's commands): the process asks for a port; main answers with the port
 * attached to the message, or why there is none. A process that will not use
 * its window (automatic selection found a software adapter) releases it.
 */
export const engineWindowPortRequest = { type: 'engine-window/request-port' } as const;
export const engineWindowRelease = { type: 'engine-window/release' } as const;
export const engineWindowControlSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('engine-window/request-port') }).strict(),
  z.object({ type: z.literal('engine-window/release') }).strict(),
  z.object({ type: z.literal('engine-window/port') }).strict(),
  z.object({ type: z.literal('engine-window/unavailable'), reason: z.string() }).strict(),
]);
export type EngineWindowControl = z.infer<typeof engineWindowControlSchema>;

export { engineWindowPortChannel, engineWindowPortMessage, engineWindowPath } from './engineWindowChannels';
