/**
 * Predictions of a run's model on one task's val or test images, next to the
 * ground truth, with a per-image score (worst first) for the Results page:
 * probability of the true class, Dice, or box F1; and the task's confusion
 * matrix for classification.
 */
import { encode as encodePng } from 'fast-png';
import type { TaskData, TaskSample } from '../engine/data/taskSample';
import { taskKindModule, type TaskPrediction } from '../engine/tasks/taskKindRegistry';
import { predictTaskAsync } from '../engine/train/prediction';
import type { PredictionItem, RunPredictions } from '../../shared/api/runs';
import { loadRunModel } from './runModel';
import { classRemap, withDatasetBackground } from './catalogTasks';
import { openCatalog } from '../catalog/openCatalog';
import type { RunTaskConfig } from '../../shared/runConfig';
import { loadRunTask } from './taskDataLoader';
import { toMetricValues } from './taskMetricValues';

export { displayScoreThreshold, matchBoxes, matchIou } from '../engine/tasks/detection';

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
    source: null,
    ...kind.viewPrediction(prediction, index, sample, data.classNames.length, multiLabel, data.backgroundClass ?? null),
  }));
}

/** The stored file name and size of each catalog sample, by image id. */
type Catalog = ReturnType<typeof openCatalog>;

function storedImages(samples: readonly TaskSample[], catalog: Catalog): Map<number, { fileName: string; width: number; height: number }> {
  const ids = samples.flatMap((s) => ((s as TaskSample & { imageId?: number }).imageId !== undefined ? [(s as TaskSample & { imageId: number }).imageId] : []));
  const out = new Map<number, { fileName: string; width: number; height: number }>();
  for (const id of ids) {
    const image = catalog.getImage(id);
    if (image) out.set(id, { fileName: image.sourcePath.split(/[\\/]/).pop() ?? image.sourcePath, width: image.width, height: image.height });
  }
  return out;
}

/** Catalog class id -> task class id for a catalog task (the same remap training applied), null for synthetic ones. */
function catalogClassMap(task: RunTaskConfig, catalog: Catalog): Array<number | null> | null {
  if (task.source.kind !== 'catalog') return null;
  const dataset = catalog.getDataset(task.source.datasetId);
  return dataset ? classRemap(dataset.classes.map((c) => c.name), withDatasetBackground(task, dataset.options), task.kind).map : null;
}

/** What the catalog says of the samples and the task's classes, read over one connection. */
function catalogFacts(samples: readonly TaskSample[], task: RunTaskConfig, dataDir: string): { sources: ReturnType<typeof storedImages>; sourceClassMap: Array<number | null> | null } {
  const catalog = openCatalog(dataDir);
  try {
    return { sources: storedImages(samples, catalog), sourceClassMap: catalogClassMap(task, catalog) };
  } finally {
    catalog.close();
  }
}

export async function runPredictions(request: PredictionsRequest): Promise<RunPredictions> {
  const loaded = await loadRunModel(request.runRoot, request.checkpoint);
  try {
    const taskConfig = loaded.config.tasks.find((t) => t.name === request.task);
    if (!taskConfig) throw new Error(`run has no task "${request.task}" (it has ${loaded.config.tasks.map((t) => t.name).join(', ')})`);
    const data = await loadRunTask(taskConfig, loaded.config, request.dataDir);
    const splitSamples = request.split === 'val' ? data.val : data.test;
    const samples = splitSamples.slice(0, request.limit);
    if (!samples.length) throw new Error(`task "${request.task}" has no ${request.split} images`);
    // asynchronous reads: the tool process may run on webgpu (the setting or UMEDPT_BACKEND), which has no synchronous read in Node
    const prediction = await predictTaskAsync(loaded.model, request.task, samples.map((s) => s.image));
    const { sources, sourceClassMap } = catalogFacts(samples, taskConfig, request.dataDir);
    const items = itemsFor(data, samples, prediction, taskConfig.multiLabel)
      .map((item) => ({ ...item, source: item.imageId !== null ? (sources.get(item.imageId) ?? null) : null }))
      .sort((a, b) => a.score - b.score || a.index - b.index);
    const confusion = taskKindModule(prediction.kind).confusionMatrix(prediction, samples, data.classNames.length, taskConfig.multiLabel);
    const scoring = { classNames: data.classNames, ...(data.backgroundClass !== undefined ? { backgroundClass: data.backgroundClass } : {}) };
    // scored from the prediction above: no second pass of the model over the same images
    const taskMetrics = taskKindModule(prediction.kind).metrics(prediction, samples, loaded.model.task(request.task), scoring);
    const metrics = toMetricValues({ [request.task]: taskMetrics })[request.task] ?? {};
    return {
      runId: loaded.folder.root.split(/[\\/]/).pop() ?? '',
      task: request.task,
      kind: data.kind,
      split: request.split,
      checkpoint: loaded.checkpoint,
      checkpointStep: loaded.checkpointMeta.step,
      splitImages: splitSamples.length,
      inputSize: loaded.config.model.inputSize,
      sourceClassMap,
      backgroundClass: data.backgroundClass ?? null,
      classNames: data.classNames,
      items,
      confusionMatrix: confusion,
      metrics,
    };
  } finally {
    loaded.model.dispose();
  }
}
