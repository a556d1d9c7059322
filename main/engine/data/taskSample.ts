/**
 * The engine's view of labelled data, independent of the catalog: what the
 * trainer, the augmentations, the metrics and the synthetic generator share.
 * Images are resized and normalised already (the preprocessing cache makes
 * them); pixel coordinates refer to that resized image.
 */
import type { TaskKind } from '../../../shared/vocabulary';

export type { TaskKind };

export interface PixelBox {
  /** top-left corner and size, in pixels of the sample image */
  x: number;
  y: number;
  w: number;
  h: number;
  classId: number;
}

export interface TaskSample {
  /** side length in pixels (square, divisible by 32) */
  size: number;
  /** size * size * 3 floats, HWC, normalised (grey replicated to 3 channels) */
  image: Float32Array;
  /** classification: class index (single-label) or multi-hot vector (multi-label) */
  label?: number | number[];
  /** segmentation: size * size class ids (indices into classNames) */
  mask?: Uint8Array;
  /** detection: boxes with class ids 0..C-1 */
  boxes?: PixelBox[];
  /** group key (patient / study / slide), for group-aware subsets */
  group?: string;
}

export interface TaskData {
  name: string;
  kind: TaskKind;
  /** classification: C classes; segmentation: C mask classes (class ids index them); detection: C object classes */
  classNames: string[];
  /** segmentation: the class left out of the means, null when every class is scored; absent: preset from the names (shared/classRoles) */
  backgroundClass?: number | null;
  multiLabel?: boolean;
  train: TaskSample[];
  val: TaskSample[];
  test: TaskSample[];
}
