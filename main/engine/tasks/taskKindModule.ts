/**
 * What a task kind is to the engine: its head, how its head sits on the shared
 * network, its targets in a batch, its loss, its predictions and its metrics.
 * One module per kind (classification.ts, segmentation.ts, detection.ts), all
 * listed in taskKindRegistry.ts, which is typed over every TaskKind: a kind
 * added to the vocabulary without a module, or a module missing a member,
 * does not compile.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { PixelBox, TaskKind, TaskSample } from '../data/taskSample';
import type { BuildContext } from '../model/buildContext';
import type { DetectionDecoderSpec, DetectionLevel } from '../model/detectionDecoder';
import type { DecodeOptions } from '../model/fcosDecode';
import type { PredictionItem } from '../../../shared/api/runs';

export interface TaskSpec {
  name: string;
  kind: TaskKind;
  /** classification / detection: number of classes; segmentation: including background 0 */
  numClasses: number;
  multiLabel?: boolean;
}

/** widths of the shared parts a head is built on */
export interface HeadDims {
  squeezerWidth: number;
  detectionWidth: number;
}

export interface ForwardOptions {
  training?: boolean;
  /** seed for the classification dropout mask (training only) */
  dropoutSeed?: number;
}

/**
 * A batch of one task as plain arrays (what the loader hands to the step).
 * Tensors are made only inside the step, so a task's tensors live only while
 * that task is being processed.
 */
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

export interface TaskMetrics {
  /** the value in [0, 1] used for model selection */
  primary: number;
  primaryName: string;
  values: Record<string, number>;
}

/** the shared decoder a kind's head sits on; the encoder is always shared */
export type SharedBranch = 'squeezer' | 'pixelDecoder' | 'detectionDecoder';

/** What a kind's module sees of the model: the shared parts, never another task's head. */
export interface SharedModelParts {
  readonly config: { readonly inputSize: number };
  readonly squeezer: tfl.LayersModel;
  readonly pixelDecoder: tfl.LayersModel | null;
  readonly detectionDecoder: DetectionDecoderSpec | null;
  detectionLevels(): DetectionLevel[];
}

/** What the catalog stores for an image, in its source pixels. */
export interface StoredAnnotations {
  /** class ids (one for single-label classification; several for multi-label) */
  labels: readonly number[];
  /** class id per pixel, row-major */
  mask?: Uint8Array;
  boxes: readonly PixelBox[];
}

/** How one image's prediction is shown next to its ground truth (the Results page). */
export type PredictionView = Pick<PredictionItem, 'score' | 'classification' | 'segmentation' | 'detection'>;

/**
 * One task kind. Output is what its forward pass returns, Prediction what its
 * inference returns for a list of images; both carry `kind` so the unions over
 * all kinds discriminate. Members are methods: a module receives only the
 * Output and Prediction its own forward and predictions made.
 */
/** What the data says about the classes being scored (see shared/classRoles.ts). */
export interface MetricOptions {
  /** names per-class metrics (dice_membrane); without them the class index names them */
  classNames?: readonly string[];
  /** segmentation: the class left out of the means (null: none); absent: preset from classNames */
  backgroundClass?: number | null;
}

export interface TaskKindModule<K extends TaskKind = TaskKind, Output extends { kind: K } = { kind: K }, Prediction extends { kind: K } = { kind: K }> {
  readonly kind: K;
  /** the shared decoder its loss trains besides the encoder (built when some task needs it) */
  readonly sharedBranch: SharedBranch;
  /** class 0 is the background: always kept, and a class left out of a task becomes it */
  readonly hasBackgroundClass: boolean;
  /** whether a sample left without any selected class is dropped from the task */
  readonly dropsSamplesWithoutClass: boolean;
  /** a label-efficiency study in frozen mode: a linear probe on cached embeddings, or the head trained on the frozen encoder */
  readonly frozenStudy: 'linearProbe' | 'trainedHead';

  /** throws when the spec cannot make a head of this kind */
  checkSpec(spec: TaskSpec): void;
  buildHead(spec: TaskSpec, dims: HeadDims, ctx: BuildContext): tfl.LayersModel;
  /** the head on the shared parts; `levels` is the encoder pyramid of `images` (runs inside the model's tf.tidy) */
  forward(model: SharedModelParts, head: tfl.LayersModel, spec: TaskSpec, images: tf.Tensor4D, levels: tf.Tensor4D[], options: ForwardOptions): Output;

  /** sets the kind's empty target arrays on a batch */
  startTargets(batch: TaskBatch): void;
  /** adds sample i's targets; throws naming the task and sample when it has none */
  addTargets(batch: TaskBatch, sample: TaskSample, index: number): void;
  /** random targets for a synthetic batch (memory profiling) */
  randomTargets(batch: TaskBatch, numClasses: number, randomIndex: (n: number) => number): void;
  /** scalar loss of a batch; call inside tf.variableGrads / tf.tidy */
  loss(output: Output, batch: TaskBatch, spec: TaskSpec, model: SharedModelParts): tf.Scalar;

  emptyPrediction(): Prediction;
  /**
   * reads one chunk's forward output into `prediction` and disposes the output;
   * it yields each tensor it needs on the CPU and is sent its values, so the
   * driver can read synchronously (dataSync) or not (data(): webgpu in Node)
   */
  appendPrediction(prediction: Prediction, output: Output, spec: TaskSpec, model: SharedModelParts, decode?: DecodeOptions): Generator<tf.Tensor, void, ArrayLike<number>>;
  /** metrics on labelled samples, in the order `prediction` holds them */
  metrics(prediction: Prediction, samples: readonly TaskSample[], spec: TaskSpec, options?: MetricOptions): TaskMetrics;
  /** the metric the kind is judged by in training (first in reports, model selection) */
  primaryMetricName(multiLabel: boolean): string;
  /** the metric a label-efficiency study plots for the kind */
  readonly studyMetricName: string;

  /** a study sample's targets from a stored image's annotations; throws naming `where` when the kind's are missing */
  studyTargets(annotations: StoredAnnotations, where: string): Pick<TaskSample, 'label' | 'mask' | 'boxes'>;
  /** the sample with class ids mapped (null = dropped class); null when the sample leaves the task */
  remapSample(sample: TaskSample, map: ReadonlyArray<number | null>, classCount: number, multiLabel: boolean): TaskSample | null;

  /** image `index` of `prediction` against its sample, for the Results page */
  viewPrediction(prediction: Prediction, index: number, sample: TaskSample, classCount: number, multiLabel: boolean, backgroundClass: number | null): PredictionView;
  /** rows = truth, columns = predicted; null where the kind has none */
  confusionMatrix(prediction: Prediction, samples: readonly TaskSample[], classCount: number, multiLabel: boolean): number[][] | null;
}
