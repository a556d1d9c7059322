/**
 * Run tasks read from catalog datasets: each split's images decoded from the
 * content store, resized to the model input and normalised through the
 * preprocessing cache (<dataDir>/cache/preprocessed), then the task's class
 * selection / mapping applied to labels, masks and boxes.
 */
import path from 'node:path';
import { createHash } from 'node:crypto';
import { openCatalog } from '../catalog/openCatalog';
import { DatasetSampleReader } from '../catalog/datasetSamples';
import { datasetServesKind, servesDetectionFromInstances } from '../catalog/datasetServes';
import { loadOrBuildPreprocessed, type SourceSample } from '../engine/data/preprocessCache';
import type { TaskData, TaskSample } from '../engine/data/taskSample';
import { taskKindModule } from '../engine/tasks/taskKindRegistry';
import type { ClassSelection, RunTaskConfig } from '../../shared/runConfig';
import type { ImageDetail } from '../../shared/api/catalog';
import { backgroundClassIndex, isBackgroundName } from '../../shared/classRoles';

/** Source class id -> target class id (null = dropped), the target class names, and (segmentation) the class left out of the scores. */
export interface ClassRemap {
  classNames: string[];
  map: Array<number | null>;
  backgroundClass?: number | null;
}

/**
 * Applies include (keep only these) and map (rename / merge) to a dataset's
 * classes. Segmentation: the background class is the one the selection
 * marks, else one named like background (shared/classRoles), never class 0
 * by position; it is kept even when not included, and the pixels of a
 * dropped class become background (a "background" class is added when the
 * dataset has none).
 */
export function classRemap(sourceNames: string[], selection: ClassSelection | undefined, kind: RunTaskConfig['kind']): ClassRemap {
  const include = selection?.include ? new Set(selection.include) : null;
  const rename = selection?.map ?? {};
  const target = (name: string): string => rename[name] ?? name;
  // a kind whose pixels all need a class keeps a background class for the pixels of dropped classes
  const segmentation = taskKindModule(kind).hasBackgroundClass;
  const isBackground = (name: string): boolean =>
    segmentation && (selection?.background !== undefined ? selection.background === target(name) : isBackgroundName(target(name)));
  const classNames: string[] = [];
  const dropped: number[] = [];
  const map = sourceNames.map((name, id): number | null => {
    if (include && !include.has(name) && !isBackground(name)) {
      if (segmentation) dropped.push(id);
      return null;
    }
    let index = classNames.indexOf(target(name));
    if (index < 0) index = classNames.push(target(name)) - 1;
    return index;
  });
  if (!segmentation) return { classNames, map };
  let backgroundClass = backgroundClassIndex(classNames, selection?.background);
  // the pixels of a dropped class need a class: a background one, added when the dataset has none
  if (dropped.length && backgroundClass === null) backgroundClass = classNames.push('background') - 1;
  for (const id of dropped) map[id] = backgroundClass;
  return { classNames, map, backgroundClass };
}

/** The task's class selection, its background preset from the dataset's (marked at import) when the task names none. */
export function withDatasetBackground(task: RunTaskConfig, datasetOptions: Record<string, unknown>): ClassSelection | undefined {
  if (task.kind !== 'segmentation' || task.classes?.background !== undefined || !('backgroundClass' in datasetOptions)) return task.classes;
  const marked = datasetOptions.backgroundClass;
  if (marked !== null && typeof marked !== 'string') return task.classes;
  return { ...task.classes, background: marked === null ? null : (task.classes?.map?.[marked] ?? marked) };
}

/** The sample with its classes remapped; null when a classification sample has no class left. */
export function remapSample(sample: TaskSample, remap: ClassRemap, kind: RunTaskConfig['kind'], multiLabel: boolean): TaskSample | null {
  return taskKindModule(kind).remapSample(sample, remap.map, remap.classNames.length, multiLabel);
}

/**
 * A stable id per image, its annotations and how it decodes: the cache is
 * rebuilt when labels change, and a slice decoded along another NIfTI axis is
 * another sample.
 */
function sampleId(image: ImageDetail, reader: DatasetSampleReader): string {
  const annotations = JSON.stringify([image.labels, image.boxes, image.mask?.sha256 ?? null, image.mask?.classMap ?? null, reader.decodeOptions]);
  return `${image.sha256}:${image.frameIndex}:${createHash('sha1').update(annotations).digest('hex').slice(0, 12)}`;
}

async function loadSplit(reader: DatasetSampleReader, split: 'train' | 'val' | 'test', inputSize: number, dataDir: string, multiLabel: boolean): Promise<Array<TaskSample & { imageId: number }>> {
  const images = reader.images(split);
  if (!images.length) return [];
  const result = await loadOrBuildPreprocessed(
    {
      ids: images.map((image) => sampleId(image, reader)),
      async load(index): Promise<SourceSample> {
        const image = images[index]!;
        const { decoded, mask, boxes } = await reader.sample(image);
        const source: SourceSample = { width: decoded.width, height: decoded.height, channels: decoded.channels, data: decoded.data, boxes };
        if (image.labels.length) source.label = multiLabel ? image.labels : image.labels[0]!;
        if (mask) {
          if (mask.width !== decoded.width || mask.height !== decoded.height) {
            throw new Error(`${image.sourcePath}: mask is ${mask.width}x${mask.height} but the image is ${decoded.width}x${decoded.height}`);
          }
          source.mask = mask.data;
        }
        if (image.group) source.group = image.group;
        return source;
      },
    },
    { size: inputSize, normalization: { kind: 'zscore' } },
    path.join(dataDir, 'cache', 'preprocessed'),
  );
  return result.samples.map((s, i) => ({ ...s, imageId: images[i]!.id }));
}

export async function loadCatalogTask(task: RunTaskConfig, inputSize: number, dataDir: string): Promise<TaskData> {
  if (task.source.kind !== 'catalog') throw new Error(`task "${task.name}" does not come from the catalog`);
  const datasetId = task.source.datasetId;
  const catalog = openCatalog(dataDir);
  try {
    const dataset = catalog.getDataset(datasetId);
    if (!dataset) throw new Error(`task "${task.name}": no dataset ${datasetId} in the catalog`);
    if (!datasetServesKind(dataset, task.kind)) throw new Error(`task "${task.name}": dataset "${dataset.name}" has ${dataset.kind} labels, not ${task.kind}`);
    const reader = DatasetSampleReader.open(catalog, datasetId);
    // detection from instance masks: the boxes are the objects; "background" has none
    const selection = servesDetectionFromInstances(dataset) && task.kind === 'detection' && !task.classes?.include ? { ...task.classes, include: ['object'] } : withDatasetBackground(task, dataset.options);
    const remap = classRemap(dataset.classes.map((c) => c.name), selection, task.kind);
    const split = async (name: 'train' | 'val' | 'test'): Promise<TaskSample[]> => {
      const samples = await loadSplit(reader, name, inputSize, dataDir, task.multiLabel);
      return samples.flatMap((s) => {
        const remapped = remapSample(s, remap, task.kind, task.multiLabel);
        return remapped ? [remapped] : [];
      });
    };
    return {
      name: task.name,
      kind: task.kind,
      classNames: remap.classNames,
      ...(remap.backgroundClass !== undefined ? { backgroundClass: remap.backgroundClass } : {}),
      multiLabel: task.multiLabel,
      train: await split('train'),
      val: await split('val'),
      test: await split('test'),
    };
  } finally {
    catalog.close();
  }
}
