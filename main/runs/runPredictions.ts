/**
 * Predictions of a run's model on one task's val or test images, next to the
 * ground truth, with a per-image score (worst first) for the Results page:
 * probability of the true class, Dice, or box F1; and the task's confusion
 * matrix for classification.
 */
import { encode as encodePng } from 'fast-png';
import type { TaskData, TaskSample } from '../engine/data/taskSample';
import { taskKindModule, type TaskPrediction } from '../engine/tasks/taskKindRegistry';
import { evaluateTask, predictTask } from '../engine/train/prediction';
import type { PredictionItem, RunPredictions } from '../../shared/api/runs';
import { loadRunModel } from './runModel';
import { loadRunTask } from './taskDataLoader';
import { toMetricValues } from './taskMetricValues';

export interface PredictionsRequest {
  runRoot: string;
  dataDir: string;
  task: string;
  split: 'val' | 'test';
  checkpoint: 'latest' | 'best';
  limit: number;
}

/** The normalised model input as a viewable PNG (per-image min-max). */
export function sampleToDataUrl(sample: TaskSample): string {
  const { size, image } = sample;
  let min = Infinity;
  let max = -Infinity;
  for (const v of image) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const scale = max > min ? 255 / (max - min) : 0;
  const rgb = new Uint8Array(size * size * 3);
  for (let i = 0; i < rgb.length; i++) rgb[i] = Math.round((image[i]! - min) * scale);
  const png = encodePng({ width: size, height: size, data: rgb, channels: 3, depth: 8 });
  return `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
}

function itemsFor(data: TaskData, samples: TaskSample[], prediction: TaskPrediction, multiLabel: boolean): PredictionItem[] {
  const kind = taskKindModule(prediction.kind);
  return samples.map((sample, index): PredictionItem => ({
    imageId: (sample as TaskSample & { imageId?: number }).imageId ?? null,
    index,
    imageDataUrl: sampleToDataUrl(sample),
    ...kind.viewPrediction(prediction, index, sample, data.classNames.length, multiLabel),
  }));
}

export async function runPredictions(request: PredictionsRequest): Promise<RunPredictions> {
  const loaded = await loadRunModel(request.runRoot, request.checkpoint);
  try {
    const taskConfig = loaded.config.tasks.find((t) => t.name === request.task);
    if (!taskConfig) throw new Error(`run has no task "${request.task}" (it has ${loaded.config.tasks.map((t) => t.name).join(', ')})`);
    const data = await loadRunTask(taskConfig, loaded.config, request.dataDir);
    const samples = (request.split === 'val' ? data.val : data.test).slice(0, request.limit);
    if (!samples.length) throw new Error(`task "${request.task}" has no ${request.split} images`);
    const prediction = predictTask(loaded.model, request.task, samples.map((s) => s.image));
    const items = itemsFor(data, samples, prediction, taskConfig.multiLabel).sort((a, b) => a.score - b.score || a.index - b.index);
    const confusion = taskKindModule(prediction.kind).confusionMatrix(prediction, samples, data.classNames.length, taskConfig.multiLabel);
    const metrics = toMetricValues({ [request.task]: evaluateTask(loaded.model, request.task, samples) })[request.task] ?? {};
    return {
      runId: loaded.folder.root.split(/[\\/]/).pop() ?? '',
      task: request.task,
      kind: data.kind,
      split: request.split,
      checkpoint: loaded.checkpoint,
      classNames: data.classNames,
      items,
      confusionMatrix: confusion,
      metrics,
    };
  } finally {
    loaded.model.dispose();
  }
}
