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
