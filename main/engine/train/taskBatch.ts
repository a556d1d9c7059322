/**
 * A batch of one task as plain arrays (what the loader hands to the step), and
 * its assembly from TaskSamples. Tensors are made only inside the step, so a
 * task's tensors live only while that task is being processed.
 */
import type { PixelBox, TaskKind, TaskSample } from '../data/taskSample';

export interface TaskBatch {
  task: string;
  kind: TaskKind;
  size: number;
  batchSize: number;
  /** batchSize * size * size * 3, HWC */
  images: Float32Array;
  labels?: Array<number | number[]>;
  /** batchSize * size * size class ids */
  masks?: Uint8Array;
  boxes?: PixelBox[][];
}

export function assembleBatch(task: string, kind: TaskKind, samples: TaskSample[]): TaskBatch {
  if (!samples.length) throw new Error(`task '${task}': empty batch`);
  const size = samples[0]!.size;
  const pixels = size * size;
  const images = new Float32Array(samples.length * pixels * 3);
  const batch: TaskBatch = { task, kind, size, batchSize: samples.length, images };
  if (kind === 'segmentation') batch.masks = new Uint8Array(samples.length * pixels);
  if (kind === 'classification') batch.labels = [];
  if (kind === 'detection') batch.boxes = [];
  samples.forEach((s, i) => {
    if (s.size !== size) throw new Error(`task '${task}': samples of sizes ${size} and ${s.size} in one batch`);
    if (s.image.length !== pixels * 3) throw new Error(`task '${task}': sample ${i} has ${s.image.length} values, expected ${size}x${size}x3`);
    images.set(s.image, i * pixels * 3);
    if (kind === 'classification') {
      if (s.label === undefined) throw new Error(`task '${task}': sample ${i} has no label`);
      batch.labels!.push(s.label);
    } else if (kind === 'segmentation') {
      if (!s.mask || s.mask.length !== pixels) throw new Error(`task '${task}': sample ${i} has no ${size}x${size} mask`);
      batch.masks!.set(s.mask, i * pixels);
    } else {
      if (!s.boxes) throw new Error(`task '${task}': sample ${i} has no boxes`);
      batch.boxes!.push(s.boxes);
    }
  });
  return batch;
}
