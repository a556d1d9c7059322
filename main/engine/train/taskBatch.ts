/**
 * A batch of one task assembled from TaskSamples: images here, the kind's
 * targets by its module (main/engine/tasks).
 */
import type { TaskKind, TaskSample } from '../data/taskSample';
import { taskKindModule } from '../tasks/taskKindRegistry';
import type { TaskBatch } from '../tasks/taskKindModule';

export type { TaskBatch } from '../tasks/taskKindModule';

export function assembleBatch(task: string, kind: TaskKind, samples: TaskSample[]): TaskBatch {
  if (!samples.length) throw new Error(`task '${task}': empty batch`);
  const module = taskKindModule(kind);
  const size = samples[0]!.size;
  const pixels = size * size;
  const images = new Float32Array(samples.length * pixels * 3);
  const batch: TaskBatch = { task, kind, size, batchSize: samples.length, images };
  module.startTargets(batch);
  samples.forEach((s, i) => {
    if (s.size !== size) throw new Error(`task '${task}': samples of sizes ${size} and ${s.size} in one batch`);
    if (s.image.length !== pixels * 3) throw new Error(`task '${task}': sample ${i} has ${s.image.length} values, expected ${size}x${size}x3`);
    images.set(s.image, i * pixels * 3);
    module.addTargets(batch, s, i);
  });
  return batch;
}
