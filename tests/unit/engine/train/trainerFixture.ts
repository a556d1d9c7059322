/** A tiny 3-task synthetic run (32x32, small CNN) for the trainer tests. */
import { generateSyntheticTasks } from '../../../../main/engine/data/synthetic';
import type { TaskData } from '../../../../main/engine/data/taskSample';
import { createUmedptModel, type UmedptModel } from '../../../../main/engine/model/umedptModel';
import { MultiTaskTrainer, type TrainerOptions } from '../../../../main/engine/train/multiTaskTrainer';

let cached: TaskData[] | null = null;

export function tinyTasks(): TaskData[] {
  cached ??= generateSyntheticTasks({ size: 32, counts: { train: 8, val: 4, test: 4 }, seed: 3 });
  return cached;
}

export function tinyModel(seed = 1): UmedptModel {
  return createUmedptModel({
    encoder: 'small-cnn',
    inputSize: 32,
    squeezerWidth: 32,
    detectionWidth: 16,
    seed,
    tasks: tinyTasks().map((t) => ({ name: t.name, kind: t.kind, numClasses: t.classNames.length })),
  });
}

export function tinyTrainer(options: TrainerOptions = {}, seed = 1): MultiTaskTrainer {
  return new MultiTaskTrainer(tinyModel(seed), tinyTasks(), { batchSize: 2, learningRate: 1e-3, seed, ...options });
}
