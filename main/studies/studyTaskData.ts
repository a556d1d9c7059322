/**
 * The downstream task of a study as the engine takes it: a training split
 * (fractions are drawn from it) and a fixed test split (only ever scored).
 * Synthetic variants are generated; catalog datasets are decoded, resized and
 * normalised (per-image z-score, the same policy pretraining uses).
 */
import { generateSyntheticTask } from '../engine/data/synthetic';
import { preprocessSample } from '../engine/data/preprocessCache';
import type { TaskData, TaskSample } from '../engine/data/taskSample';
import { taskKindModule } from '../engine/tasks/taskKindRegistry';
import { openCatalog, type Catalog } from '../catalog/openCatalog';
import { datasetClasses, loadDatasetSamples, type DatasetSample } from '../catalog/datasetSamples';
import { syntheticSpec } from '../runs/syntheticTasks';
import type { EvalConfig } from '../../shared/api/eval';
import { backgroundClassIndex } from '../../shared/classRoles';

export interface StudyTaskData extends TaskData {
  /** where the data came from, for the report */
  description: string;
}

function toTaskSample(sample: DatasetSample, kind: TaskData['kind'], size: number, file: string): TaskSample {
  const { decoded } = sample;
  const annotations = { labels: sample.labels, boxes: sample.boxes, ...(sample.mask ? { mask: sample.mask.data } : {}) };
  return preprocessSample(
    {
      width: decoded.width,
      height: decoded.height,
      channels: decoded.channels,
      data: decoded.data,
      ...taskKindModule(kind).studyTargets(annotations, `${file}: image ${sample.imageId}`),
      ...(sample.group ? { group: sample.group } : {}),
    },
    { size, normalization: { kind: 'zscore' } },
    `image ${sample.imageId}`,
  );
}

async function readSplit(catalog: Catalog, datasetId: number, split: 'train' | 'val' | 'test', kind: TaskData['kind'], size: number, max: number): Promise<TaskSample[]> {
  const out: TaskSample[] = [];
  for await (const sample of loadDatasetSamples(catalog, datasetId, { split })) {
    out.push(toTaskSample(sample, kind, size, `dataset ${datasetId}`));
    if (max > 0 && out.length >= max) break;
  }
  return out;
}

export async function loadStudyTask(config: EvalConfig, dataDir: string): Promise<StudyTaskData> {
  const { task, inputSize } = config;
  const source = task.source;
  if (source.kind === 'synthetic') {
    const spec = syntheticSpec(source.variant);
    if (spec.kind !== task.kind) throw new Error(`synthetic variant ${source.variant} is a ${spec.kind} task, the study asks for ${task.kind}`);
    const data = generateSyntheticTask(spec, { size: inputSize, counts: { train: source.counts.train, val: 0, test: source.counts.test }, seed: source.seed });
    return { ...data, name: task.name, description: `built-in synthetic dataset, variant ${source.variant} (${source.counts.train} train / ${source.counts.test} test images, data seed ${source.seed})` };
  }
  if (source.trainSplit === source.testSplit) throw new Error(`task ${task.name}: trainSplit and testSplit are both '${source.trainSplit}'; the test split must never be trained on`);
  const catalog = openCatalog(dataDir);
  let datasetName: string;
  let classNames: string[];
  let train: TaskSample[];
  let test: TaskSample[];
  let backgroundClass: number | null = null;
  try {
    const dataset = catalog.getDataset(source.datasetId);
    if (!dataset) throw new Error(`no dataset ${source.datasetId} in the catalog at ${dataDir}`);
    datasetName = dataset.name;
    classNames = datasetClasses(catalog, source.datasetId).map((c) => c.name);
    // the class marked at import wins over the names
    const marked = dataset.options.backgroundClass;
    if (task.kind === 'segmentation') backgroundClass = backgroundClassIndex(classNames, marked === null || (typeof marked === 'string' && classNames.includes(marked)) ? marked : undefined);
    train = await readSplit(catalog, source.datasetId, source.trainSplit, task.kind, inputSize, source.maxImagesPerSplit);
    test = await readSplit(catalog, source.datasetId, source.testSplit, task.kind, inputSize, source.maxImagesPerSplit);
  } finally {
    catalog.close();
  }
  // The mask class ids index the catalog's classes as they are: no class is added here, so a study
  // scores the classes training sees; the background is the one named so (shared/classRoles), if any.
  if (!train.length) throw new Error(`dataset ${source.datasetId} (${datasetName}): no images in split '${source.trainSplit}'`);
  if (!test.length) throw new Error(`dataset ${source.datasetId} (${datasetName}): no images in split '${source.testSplit}'`);
  const cap = source.maxImagesPerSplit > 0 ? `, first ${source.maxImagesPerSplit} images per split` : '';
  return {
    name: task.name,
    kind: task.kind,
    classNames,
    ...(task.kind === 'segmentation' ? { backgroundClass } : {}),
    train,
    val: [],
    test,
    description: `catalog dataset ${source.datasetId} "${datasetName}": ${train.length} ${source.trainSplit} / ${test.length} ${source.testSplit} images${cap}`,
  };
}
