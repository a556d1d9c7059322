import type { RunConfigInput, RunEncoderName, SyntheticVariant } from '../../../shared/runConfig';
import { syntheticVariants } from '../../../shared/runConfig';
import { syntheticRunTask, toRunTaskConfig, type TaskDraft } from '../tasks/taskDraft';
import type { SuggestedModel } from './runDefaults';
import type { BackendChoice } from '../../../shared/vocabulary';

export type { BackendChoice };

/** The launch form's fields, as the user edits them. */
export interface LaunchForm {
  name: string;
  taskIds: string[];
  synthetic: SyntheticVariant[];
  encoder: RunEncoderName;
  inputSize: number;
  batchSize: number;
  duration: 'epochs' | 'steps';
  epochs: number;
  steps: number;
  checkpointEverySteps: number;
  learningRate: number;
  weightDecay: number;
  schedule: 'none' | 'cosine' | 'poly' | 'step';
  warmupSteps: number;
  horizontalFlip: boolean;
  verticalFlip: boolean;
  rotate90: boolean;
  scale: boolean;
  intensity: boolean;
  backend: BackendChoice;
  seed: number;
}

export function defaultLaunchForm(suggested: SuggestedModel): LaunchForm {
  return {
    name: `pretraining ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`,
    taskIds: [],
    synthetic: [],
    encoder: suggested.encoder,
    inputSize: suggested.inputSize,
    batchSize: suggested.batchSize,
    duration: 'epochs',
    epochs: 10,
    steps: 200,
    checkpointEverySteps: 0,
    learningRate: suggested.learningRate,
    weightDecay: 1e-2,
    schedule: suggested.schedule,
    warmupSteps: suggested.warmupSteps,
    horizontalFlip: true,
    verticalFlip: true,
    rotate90: false,
    scale: false,
    intensity: false,
    backend: 'auto',
    seed: 42,
  };
}

/** The run config the form describes, from the chosen library tasks and built-in synthetic tasks. */
export function buildRunConfig(form: LaunchForm, library: readonly TaskDraft[]): RunConfigInput {
  const chosen = library.filter((t) => form.taskIds.includes(t.id));
  return {
    name: form.name.trim() || 'pretraining run',
    tasks: [...chosen.map((t) => toRunTaskConfig(t, form.batchSize)), ...form.synthetic.map((v) => syntheticRunTask(v, syntheticVariants[v], form.batchSize))],
    model: { encoder: form.encoder, inputSize: form.inputSize, squeezerWidth: 512, initEncoderFrom: null },
    optimizer: { kind: 'adamw', learningRate: form.learningRate, weightDecay: form.weightDecay },
    schedule: { kind: form.schedule, warmupSteps: form.warmupSteps },
    ...(form.duration === 'epochs' ? { epochs: form.epochs } : { steps: form.steps }),
    checkpointEverySteps: form.checkpointEverySteps,
    augmentation: { horizontalFlip: form.horizontalFlip, verticalFlip: form.verticalFlip, rotate90: form.rotate90, scale: form.scale, intensity: form.intensity },
    backend: form.backend,
    seed: form.seed,
  };
}

/** Which form field a config problem path (e.g. "model.inputSize", "tasks.0.name") belongs to. */
export function fieldOfProblem(path: string): keyof LaunchForm | 'tasks' | null {
  if (path.startsWith('tasks')) return 'tasks';
  const map: Record<string, keyof LaunchForm> = {
    name: 'name',
    'model.encoder': 'encoder',
    'model.inputSize': 'inputSize',
    epochs: 'epochs',
    steps: 'steps',
    'optimizer.learningRate': 'learningRate',
    'optimizer.weightDecay': 'weightDecay',
    'schedule.warmupSteps': 'warmupSteps',
    checkpointEverySteps: 'checkpointEverySteps',
    backend: 'backend',
    seed: 'seed',
  };
  return map[path] ?? null;
}

/** A problem of one form field, worded with the field's own label. */
export interface FormFieldProblem {
  field: keyof LaunchForm;
  message: string;
}

type NumericField = 'inputSize' | 'batchSize' | 'epochs' | 'steps' | 'checkpointEverySteps' | 'learningRate' | 'weightDecay' | 'warmupSteps' | 'seed';

const numericRules: Record<NumericField, { label: string; integer: boolean; min: number; max: number; minExclusive?: boolean; multipleOf?: number }> = {
  inputSize: { label: 'Input size', integer: true, min: 32, max: 1024, multipleOf: 32 },
  batchSize: { label: 'Batch per task', integer: true, min: 1, max: 512 },
  epochs: { label: 'Epochs', integer: true, min: 1, max: 100000 },
  steps: { label: 'Steps', integer: true, min: 1, max: 10000000 },
  checkpointEverySteps: { label: 'Checkpoint every', integer: true, min: 0, max: 10000000 },
  learningRate: { label: 'Learning rate', integer: false, min: 0, max: 1, minExclusive: true },
  weightDecay: { label: 'Weight decay', integer: false, min: 0, max: 1 },
  warmupSteps: { label: 'Warm-up steps', integer: true, min: 0, max: 10000000 },
  seed: { label: 'Seed', integer: true, min: -2147483648, max: 2147483647 },
};

/**
 * The form's own checks, before the engine's: a value out of range is refused
 * with the field named, never changed behind the user's back (0 steps used to
 * become 1). NaN stands for an empty or unreadable field.
 */
export function launchFormProblems(form: LaunchForm): FormFieldProblem[] {
  const problems: FormFieldProblem[] = [];
  for (const [field, rule] of Object.entries(numericRules) as Array<[NumericField, (typeof numericRules)[NumericField]]>) {
    if (field === 'epochs' && form.duration !== 'epochs') continue;
    if (field === 'steps' && form.duration !== 'steps') continue;
    const value = form[field];
    const range = `${rule.minExclusive ? `above ${rule.min}` : `from ${rule.min}`} to ${rule.max}`;
    const what = rule.integer ? `a whole number ${range}` : `a number ${range}`;
    if (!Number.isFinite(value)) problems.push({ field, message: `${rule.label} is empty or not a number: enter ${what}` });
    else if ((rule.integer && !Number.isInteger(value)) || value < rule.min || (rule.minExclusive && value === rule.min) || value > rule.max) {
      problems.push({ field, message: `${rule.label} must be ${what}, not ${value}` });
    } else if (rule.multipleOf && value % rule.multipleOf !== 0) problems.push({ field, message: `${rule.label} must be a multiple of ${rule.multipleOf}, not ${value}` });
  }
  return problems;
}

/** What a number field holds: NaN when empty or unreadable, so the form can name the problem. */
export function parseNumberField(text: string): number {
  return text.trim() === '' ? NaN : Number(text);
}
