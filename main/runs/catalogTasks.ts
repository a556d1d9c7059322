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
import { loadOrBuildPreprocessed, type SourceSample } from '../engine/data/preprocessCache';
import type { TaskData, TaskSample } from '../engine/data/taskSample';
import { taskKindModule } from '../engine/tasks/taskKindRegistry';
import type { ClassSelection, RunTaskConfig } from '../../shared/runConfig';
import type { ImageDetail } from '../../shared/api/catalog';

/** Source class id -> target class id (null = dropped), and the target class names. */
export interface ClassRemap {
  classNames: string[];
  map: Array<number | null>;
}

/**
 * Applies include (keep only these) and map (rename / merge) to a dataset's
 * classes. Segmentation keeps class 0 as background; a dropped segmentation
 * class becomes background.
 */
export function classRemap(sourceNames: string[], selection: ClassSelection | undefined, kind: RunTaskConfig['kind']): ClassRemap {
  const include = selection?.include ? new Set(selection.include) : null;
  const rename = selection?.map ?? {};
  const { hasBackgroundClass } = taskKindModule(kind);
  const classNames: string[] = [];
  const map = sourceNames.map((name, id): number | null => {
    const keepBackground = hasBackgroundClass && id === 0;
    if (!keepBackground && include && !include.has(name)) return hasBackgroundClass ? 0 : null;
    const target = rename[name] ?? name;
    let index = classNames.indexOf(target);
    if (index < 0) index = classNames.push(target) - 1;
    return index;
  });
  return { classNames, map };
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
    if (dataset.kind !== task.kind) throw new Error(`task "${task.name}": dataset "${dataset.name}" has ${dataset.kind} labels, not ${task.kind}`);
    const reader = DatasetSampleReader.open(catalog, datasetId);
    const remap = classRemap(dataset.classes.map((c) => c.name), task.classes, task.kind);
    const split = async (name: 'train' | 'val' | 'test'): Promise<TaskSample[]> => {
      const samples = await loadSplit(reader, name, inputSize, dataDir, task.multiLabel);
      return samples.flatMap((s) => {
        const remapped = remapSample(s, remap, task.kind, task.multiLabel);
        return remapped ? [remapped] : [];
      });
    };
    return { name: task.name, kind: task.kind, classNames: remap.classNames, multiLabel: task.multiLabel, train: await split('train'), val: await split('val'), test: await split('test') };
  } finally {
    catalog.close();
  }
}
