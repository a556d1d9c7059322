/**
 * A batch of one task as plain typed arrays, ready to become tensors:
 * images NHWC float32, class ids / masks int32 (tfjs has no uint8 dtype for
 * labels), boxes as lists per image.
 */
import { type PixelBox, type TaskKind, type TaskSample } from './taskSample';

export interface Batch {
  taskName: string;
  kind: TaskKind;
  /** images in this batch (the last batch of an epoch may be smaller) */
  count: number;
  size: number;
  /** count * size * size * 3 */
  images: Float32Array;
  /** single-label classification: count class ids */
  labels?: Int32Array;
  /** multi-label classification: count * numClasses 0/1 */
  multiHot?: Float32Array;
  /** segmentation: count * size * size class ids */
  masks?: Int32Array;
  /** detection: per image, its boxes */
  boxes?: PixelBox[][];
  /** indices of the samples in the split they came from */
  indices: Int32Array;
  epoch: number;
  /** true for the batch that completes an epoch */
  lastOfEpoch: boolean;
}

export interface BatchTask {
  name: string;
  kind: TaskKind;
  classNames: string[];
  multiLabel?: boolean;
}

/** Pure: stacks the given (already augmented) samples into one batch. */
export function stackBatch(task: BatchTask, samples: readonly TaskSample[], indices: ArrayLike<number>, epoch = 0, lastOfEpoch = false): Batch {
  const count = samples.length;
  if (count === 0) throw new Error(`task ${task.name}: cannot make an empty batch`);
  const size = (samples[0] as TaskSample).size;
  const pixels = size * size;
  const images = new Float32Array(count * pixels * 3);
  const batch: Batch = { taskName: task.name, kind: task.kind, count, size, images, indices: Int32Array.from(indices), epoch, lastOfEpoch };
  const numClasses = task.classNames.length;
  if (task.kind === 'classification') {
    if (task.multiLabel) batch.multiHot = new Float32Array(count * numClasses);
    else batch.labels = new Int32Array(count);
  }
  if (task.kind === 'segmentation') batch.masks = new Int32Array(count * pixels);
  if (task.kind === 'detection') batch.boxes = [];
  samples.forEach((s, i) => {
    const where = `task ${task.name}, sample ${batch.indices[i]}`;
    if (s.size !== size) throw new Error(`${where}: size ${s.size} differs from the batch's ${size}`);
    if (s.image.length !== pixels * 3) throw new Error(`${where}: image has ${s.image.length} values, expected ${pixels * 3}`);
    images.set(s.image, i * pixels * 3);
    if (batch.labels) {
      if (typeof s.label !== 'number') throw new Error(`${where}: missing class label`);
      batch.labels[i] = s.label;
    }
    if (batch.multiHot) {
      const hot = s.label;
      if (!Array.isArray(hot) || hot.length !== numClasses) throw new Error(`${where}: multi-label target must have ${numClasses} entries`);
      batch.multiHot.set(hot, i * numClasses);
    }
    if (batch.masks) {
      if (!s.mask || s.mask.length !== pixels) throw new Error(`${where}: missing or wrong-size mask`);
      batch.masks.set(s.mask, i * pixels);
    }
    if (batch.boxes) batch.boxes.push(s.boxes ? [...s.boxes] : []);
  });
  return batch;
}
