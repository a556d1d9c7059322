/**
 * Pretraining runs: launch, follow, pause / resume / cancel, metrics history,
 * export, and predictions for the Results page. Live progress arrives as
 * 'runs/event' (the same RunEvent values that each run appends to its
 * metrics.jsonl).
 */
import { z } from 'zod';
import { endpoint } from './endpoint';
import { runConfigSchema, type RunConfig, type RunConfigProblem, type RunTaskKind } from '../runConfig';
import type { BackendSource } from '../backendChoice';

/**
 * queued: waiting for the one training slot; running / paused: its process is alive;
 * interrupted: its process died (crash, kill, app quit) and it can be resumed from
 * the last checkpoint; orphaned: found running after a restart of the app, with its
 * process still alive (adopted: followed through its folder, cancel kills it).
 */
export const runStates = ['queued', 'running', 'paused', 'completed', 'cancelled', 'failed', 'interrupted', 'orphaned'] as const;
export type RunState = (typeof runStates)[number];

/** metric name -> value, e.g. { loss: 0.41, accuracy: 0.87 } */
export type MetricValues = Record<string, number>;
/** task name -> its metrics */
export type TaskMetrics = Record<string, MetricValues>;

export interface RunTaskSummary {
  name: string;
  kind: RunTaskKind;
  classNames: string[];
  /** images used per split (known once the worker loaded the data) */
  trainImages: number | null;
  valImages: number | null;
}

export interface RunProgress {
  step: number;
  totalSteps: number;
  epoch: number;
  totalEpochs: number;
}

export interface CheckpointInfo {
  step: number;
  epoch: number;
  /** best: the validation score that made it best (mean over tasks of each task's main metric) */
  score: number | null;
  savedAt: string;
}

export interface RunSummary {
  id: string;
  name: string;
  state: RunState;
  createdAt: string;
  updatedAt: string;
  /** <dataDir>/runs/<id> */
  folder: string;
  tasks: RunTaskSummary[];
  progress: RunProgress;
  /** backend the worker runs on (known once it started) */
  backend: string | null;
  /** who chose that backend and the engine's reason (known once it started; null for runs of older versions) */
  backendChoice: RunBackendChoice | null;
  /** last validation metrics per task (final once the run ended) */
  finalMetrics: TaskMetrics | null;
  /** why it failed or was interrupted */
  error: string | null;
}

export interface RunBackendChoice {
  /** the run's config, UMEDPT_BACKEND, the setting, or automatic selection */
  source: BackendSource;
  reason: string;
}

export interface RunDetail extends RunSummary {
  config: RunConfig;
  checkpoints: { latest: CheckpointInfo | null; best: CheckpointInfo | null };
  pid: number | null;
}

export interface TensorMemory {
  numTensors: number;
  numBytes: number;
}

interface RunEventBase {
  runId: string;
  /** ISO time */
  time: string;
  /** position in the run's metrics.jsonl (0-based); cursors of runs/metrics */
  seq: number;
}

export type RunEventBody =
  | { type: 'state'; state: RunState; message?: string }
  | {
      type: 'step';
      step: number;
      totalSteps: number;
      epoch: number;
      totalEpochs: number;
      /** task -> training loss of this step */
      losses: Record<string, number>;
      /** this step was logged before (the run resumed from an earlier checkpoint): readers keep the later one */
      redone?: boolean;
      learningRate: number;
      imagesPerSecond: number;
      etaSeconds: number;
      memory: TensorMemory;
    }
  | {
      type: 'validation';
      step: number;
      epoch: number;
      /** task -> validation metrics (loss plus accuracy / dice / mAP...) */
      metrics: TaskMetrics;
      /** mean over tasks of each task's main metric */
      score: number;
      best: boolean;
    }
  | { type: 'epoch'; epoch: number; step: number; seconds: number; trainLoss: Record<string, number> }
  | { type: 'checkpoint'; which: 'latest' | 'best'; step: number; epoch: number }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'started'; backend: string; backendChoice?: RunBackendChoice; pid: number; tasks: RunTaskSummary[]; totalSteps: number; totalEpochs: number; resumedFromStep: number | null };

export type RunEvent = RunEventBase & RunEventBody;
export type RunEventType = RunEvent['type'];

export interface RunMetricsPage {
  events: RunEvent[];
  /** pass as `after` to continue; the stream continues live with 'runs/event' */
  nextSeq: number;
}

export interface ModelCard {
  format: 'umedpt-encoder' | 'umedpt-model';
  appName: string;
  appVersion: string;
  createdAt: string;
  runId: string;
  runName: string;
  checkpoint: 'latest' | 'best';
  step: number;
  epoch: number;
  encoder: string;
  inputSize: number;
  squeezerWidth: number;
  /** how pixels were normalised before the encoder; grey images are replicated to 3 channels */
  normalization: { kind: string; description: string };
  backend: string;
  tasks: Array<{
    name: string;
    kind: RunTaskKind;
    classNames: string[];
    source: string;
    trainImages: number;
    valImages: number;
    validationMetrics: MetricValues | null;
  }>;
  /** files in the folder, relative */
  files: string[];
}

export interface ExportResult {
  dir: string;
  files: string[];
  modelCard: ModelCard;
}

/** Largest export the service hands back as one zip (runs/exportArchive); a larger model is exported to a folder (CLI). */
export const maxExportArchiveBytes = 256 * 1024 * 1024;

/** An export packed as one zip for the UI to save (a download in the browser, a save dialog in Electron). */
export interface ExportArchive {
  /** a plain file name: `<run name>-encoder.zip` or `<run name>-model.zip` */
  fileName: string;
  /** the zip, base64 */
  base64: string;
  bytes: number;
  /** the zip's entries (model-card.json among them) */
  files: string[];
  modelCard: ModelCard;
}

/** `<run name>-encoder.zip`: the run name made a plain file name (characters file systems refuse become '_'). */
export function exportArchiveFileName(runName: string, what: 'encoder' | 'model'): string {
  // eslint-disable-next-line no-control-regex
  const plain = runName.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').trim().slice(0, 150);
  return `${plain === '' || plain === '.' || plain === '..' ? 'run' : plain}-${what}.zip`;
}

export interface PredictedBox {
  x: number;
  y: number;
  w: number;
  h: number;
  classId: number;
  score: number;
}

export interface GroundTruthBox {
  x: number;
  y: number;
  w: number;
  h: number;
  classId: number;
}

/** A class-id image at the model input size, one byte per pixel, base64. */
export interface EncodedMask {
  width: number;
  height: number;
  base64: string;
}

export interface PredictionItem {
  /** catalog image id (null for synthetic samples) */
  imageId: number | null;
  /** index in the evaluated split */
  index: number;
  /** catalog images: the stored file's name and size (boxes and masks map back onto these pixels); null for synthetic samples */
  source: { fileName: string; width: number; height: number } | null;
  /** the model input as a PNG data URL (input size, after normalisation for display) */
  imageDataUrl: string;
  /** per-image score used for sorting (lower is worse): correctness, Dice or box F1 */
  score: number;
  classification?: { trueLabel: number | number[]; predicted: number; probabilities: number[] };
  /** dice / iou: mean over the task's scored classes present in this image; null when none is (nothing to score) */
  segmentation?: { dice: number | null; iou: number | null; truth: EncodedMask; predicted: EncodedMask };
  detection?: {
    truth: GroundTruthBox[];
    predicted: PredictedBox[];
    /** predicted index -> truth index at IoU >= 0.5 (same class) */
    matches: Array<{ predicted: number; truth: number; iou: number }>;
    precision: number;
    recall: number;
  };
}

export interface RunPredictions {
  runId: string;
  task: string;
  kind: RunTaskKind;
  split: 'val' | 'test';
  /** the checkpoint actually used (best falls back to latest when the run never validated) */
  checkpoint: 'latest' | 'best';
  /** the training step that checkpoint was saved at */
  checkpointStep: number;
  /** images in the split (items are its first `limit`): the scope the page states */
  splitImages: number;
  /** the model input side: masks and boxes of the items are in these pixels, the stored image letterboxed into the square (shared/letterbox) */
  inputSize: number;
  /** catalog tasks: catalog class id -> task class id (null: dropped), to read the stored full-resolution masks as task classes */
  sourceClassMap: Array<number | null> | null;
  /** segmentation: the task's background class (not scored), null when every class is scored */
  backgroundClass: number | null;
  classNames: string[];
  /** worst first */
  items: PredictionItem[];
  /** classification: rows = truth, columns = predicted */
  confusionMatrix: number[][] | null;
  /** aggregate metrics over the evaluated images */
  metrics: MetricValues;
}

const runIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'run ids are letters, digits, - and _');
const runRef = z.object({ runId: runIdSchema }).strict();
const checkpointSchema = z.enum(['latest', 'best']).default('best');

export const runsApi = {
  /** Config problems without launching: one message per problem (empty when it can run). */
  'runs/validate': endpoint<{ problems: RunConfigProblem[] }>()(z.object({ config: z.unknown() }).strict()),
  /** Queues a run (starts it at once when no other run trains). Invalid configs fail with every problem listed. */
  'runs/launch': endpoint<RunSummary>()(z.object({ config: runConfigSchema }).strict()),
  'runs/list': endpoint<RunSummary[]>()(z.object({}).strict()),
  'runs/get': endpoint<RunDetail>()(runRef),
  'runs/pause': endpoint<RunSummary>()(runRef),
  /** Resumes a paused run, or restarts an interrupted / cancelled / failed one from its latest checkpoint. */
  'runs/resume': endpoint<RunSummary>()(runRef),
  'runs/cancel': endpoint<RunSummary>()(runRef),
  'runs/metrics': endpoint<RunMetricsPage>()(
    z
      .object({
        runId: runIdSchema,
        after: z.number().int().min(-1).default(-1),
        types: z.array(z.enum(['state', 'step', 'validation', 'epoch', 'checkpoint', 'log', 'started'])).optional(),
        limit: z.number().int().min(1).max(100000).default(10000),
      })
      .strict(),
  ),
  'runs/exportEncoder': endpoint<ExportResult>()(z.object({ runId: runIdSchema, dir: z.string().min(1), checkpoint: checkpointSchema }).strict()),
  'runs/exportModel': endpoint<ExportResult>()(z.object({ runId: runIdSchema, dir: z.string().min(1), checkpoint: checkpointSchema }).strict()),
  /** The encoder (with its model card) or the whole model as one zip, exported into a temporary folder that is removed afterwards. */
  'runs/exportArchive': endpoint<ExportArchive>()(z.object({ runId: runIdSchema, what: z.enum(['encoder', 'model']), checkpoint: checkpointSchema }).strict()),
  'runs/predictions': endpoint<RunPredictions>()(
    z
      .object({
        runId: runIdSchema,
        task: z.string().min(1),
        split: z.enum(['val', 'test']).default('val'),
        checkpoint: checkpointSchema,
        limit: z.number().int().min(1).max(500).default(48),
      })
      .strict(),
  ),
};
