/**
 * Predictions of a run's model on one task's val or test images, next to the
 * ground truth, with a per-image score (worst first) for the Results page:
 * probability of the true class, Dice, or box F1; and the task's confusion
 * matrix for classification.
 */
import { encode as encodePng } from 'fast-png';
import type { TaskData, TaskSample } from '../engine/data/taskSample';
import { confusionMatrix } from '../engine/metrics/confusionMatrix';
import { matchBoxesByScore } from '../../shared/boxMatching';
import { diceFromCounts, iouFromCounts, meanOverClasses, overlapCounts } from '../engine/metrics/segmentationOverlap';
import { evaluateTask, predictTask } from '../engine/train/prediction';
import type { EncodedMask, PredictedBox, PredictionItem, RunPredictions } from '../../shared/api/runs';
import { loadRunModel } from './runModel';
import { classRemap, withDatasetBackground } from './catalogTasks';
import { openCatalog } from '../catalog/openCatalog';
import type { RunTaskConfig } from '../../shared/runConfig';
import { loadRunTask } from './taskDataLoader';
import { toMetricValues } from './taskMetricValues';

/** detections below this score are not shown or matched */
export const displayScoreThreshold = 0.3;
export { matchIou } from '../../shared/boxMatching';

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

function encodeMask(mask: Uint8Array, size: number): EncodedMask {
  return { width: size, height: size, base64: Buffer.from(mask.buffer, mask.byteOffset, mask.byteLength).toString('base64') };
}

/** Greedy matching by score (shared/boxMatching, as mAP@0.5 counts): each truth box at most once, same class, IoU >= 0.5. */
export function matchBoxes(predicted: PredictedBox[], truth: TaskSample['boxes'] & object): { matches: Array<{ predicted: number; truth: number; iou: number }>; precision: number; recall: number } {
  const matches = matchBoxesByScore(predicted, truth);
  const precision = predicted.length ? matches.length / predicted.length : truth.length ? 0 : 1;
  const recall = truth.length ? matches.length / truth.length : 1;
  return { matches, precision, recall };
}

function itemsFor(data: TaskData, samples: TaskSample[], prediction: ReturnType<typeof predictTask>, multiLabel: boolean): PredictionItem[] {
  const C = data.classNames.length;
  return samples.map((sample, index): PredictionItem => {
    const base = { imageId: (sample as TaskSample & { imageId?: number }).imageId ?? null, index, imageDataUrl: sampleToDataUrl(sample), source: null };
    if (prediction.kind === 'classification') {
      const probabilities = prediction.probabilities[index]!;
      const predicted = probabilities.indexOf(Math.max(...probabilities));
      const label = sample.label ?? 0;
      const score = multiLabel && Array.isArray(label) ? 1 - probabilities.reduce((a, p, k) => a + Math.abs(p - (label[k] ?? 0)), 0) / C : (probabilities[label as number] ?? 0);
      return { ...base, score, classification: { trueLabel: label, predicted, probabilities } };
    }
    if (prediction.kind === 'segmentation') {
      const mask = prediction.masks[index]!;
      const truth = sample.mask ?? new Uint8Array(mask.length);
      const counts = overlapCounts(mask, truth, C);
      // the image's score: mean over the task's scored classes present in its truth or prediction
      const background = data.backgroundClass ?? null;
      const dice = meanOverClasses(diceFromCounts(counts), background);
      const iou = meanOverClasses(iouFromCounts(counts), background);
      // an image with nothing to score (only background in truth and prediction) is not among the worst
      const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);
      return { ...base, score: Number.isNaN(dice) ? 1 : dice, segmentation: { dice: orNull(dice), iou: orNull(iou), truth: encodeMask(truth, sample.size), predicted: encodeMask(mask, sample.size) } };
    }
    // every decoded box (class-wise NMS, score > 0.05, as mAP sees them): the viewer's threshold slider filters;
    // the per-image score and matches here are at the display threshold
    const predicted = prediction.boxes[index]!.map((b) => ({ x: b.x, y: b.y, w: b.w, h: b.h, classId: b.classId, score: b.score }));
    const truth = sample.boxes ?? [];
    const { matches, precision, recall } = matchBoxes(predicted.filter((b) => b.score >= displayScoreThreshold), truth);
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { ...base, score: f1, detection: { truth: truth.map(({ x, y, w, h, classId }) => ({ x, y, w, h, classId })), predicted, matches, precision, recall } };
  });
}

/** The stored file name and size of each catalog sample, by image id. */
function storedImages(samples: readonly TaskSample[], dataDir: string): Map<number, { fileName: string; width: number; height: number }> {
  const ids = samples.flatMap((s) => ((s as TaskSample & { imageId?: number }).imageId !== undefined ? [(s as TaskSample & { imageId: number }).imageId] : []));
  const out = new Map<number, { fileName: string; width: number; height: number }>();
  if (!ids.length) return out;
  const catalog = openCatalog(dataDir);
  try {
    for (const id of ids) {
      const image = catalog.getImage(id);
      if (image) out.set(id, { fileName: image.sourcePath.split(/[\\/]/).pop() ?? image.sourcePath, width: image.width, height: image.height });
    }
  } finally {
    catalog.close();
  }
  return out;
}

/** Catalog class id -> task class id for a catalog task (the same remap training applied), null for synthetic ones. */
function catalogClassMap(task: RunTaskConfig, dataDir: string): Array<number | null> | null {
  if (task.source.kind !== 'catalog') return null;
  const catalog = openCatalog(dataDir);
  try {
    const dataset = catalog.getDataset(task.source.datasetId);
    return dataset ? classRemap(dataset.classes.map((c) => c.name), withDatasetBackground(task, dataset.options), task.kind).map : null;
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
    const samples = (request.split === 'val' ? data.val : data.test).slice(0, request.limit);
    if (!samples.length) throw new Error(`task "${request.task}" has no ${request.split} images`);
    const prediction = predictTask(loaded.model, request.task, samples.map((s) => s.image));
    const sources = storedImages(samples, request.dataDir);
    const items = itemsFor(data, samples, prediction, taskConfig.multiLabel)
      .map((item) => ({ ...item, source: item.imageId !== null ? (sources.get(item.imageId) ?? null) : null }))
      .sort((a, b) => a.score - b.score || a.index - b.index);
    let confusion: number[][] | null = null;
    if (prediction.kind === 'classification' && !taskConfig.multiLabel) {
      const truth = samples.map((s) => (typeof s.label === 'number' ? s.label : 0));
      const predicted = prediction.probabilities.map((p) => p.indexOf(Math.max(...p)));
      confusion = confusionMatrix(truth, predicted, data.classNames.length);
    }
    const scoring = { classNames: data.classNames, ...(data.backgroundClass !== undefined ? { backgroundClass: data.backgroundClass } : {}) };
    const metrics = toMetricValues({ [request.task]: evaluateTask(loaded.model, request.task, samples, scoring) })[request.task] ?? {};
    return {
      runId: loaded.folder.root.split(/[\\/]/).pop() ?? '',
      task: request.task,
      kind: data.kind,
      split: request.split,
      checkpoint: loaded.checkpoint,
      checkpointStep: loaded.checkpointMeta.step,
      inputSize: loaded.config.model.inputSize,
      sourceClassMap: catalogClassMap(taskConfig, request.dataDir),
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
