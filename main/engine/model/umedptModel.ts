/**
 * The UMedPT network: one shared pyramid encoder, shared squeezer, shared
 * pixel (U-Net) and detection (FCOS) decoders, and one light head per task.
 * Decoders are built only when a task needs them. Every part is a tfjs-layers
 * model, so the encoder can be exported in layers format.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { TaskKind } from '../data/taskSample';
import type { ForwardOptions, SharedBranch, SharedModelParts } from '../tasks/taskKindModule';
import { taskKindModule, type TaskOutput } from '../tasks/taskKindRegistry';
import { buildDetectionDecoder, type DetectionDecoderSpec, type DetectionLevel } from './detectionDecoder';
import { createEncoder } from './encoders/createEncoder';
import { assertInputSize, type EncoderName, type PyramidEncoder } from './encoders/encoderSpec';
import { buildPixelDecoder } from './pixelDecoder';
import { hashSeed } from '../../../shared/seededRandom';
import { buildSqueezer } from './squeezer';
import { buildTaskHead, type TaskHead, type TaskSpec } from './taskHeads';

export type { TaskSpec } from './taskHeads';
export type { EncoderName } from './encoders/encoderSpec';
export type { ForwardOptions } from '../tasks/taskKindModule';
export type { TaskOutput } from '../tasks/taskKindRegistry';
export type { DetectionLevel } from './detectionDecoder';
export { classificationDropout } from '../tasks/classification';

export interface UmedptModelConfig {
  encoder: EncoderName;
  /** square input side, a multiple of 32 */
  inputSize: number;
  /** squeezer vector width (ref: 512) */
  squeezerWidth?: number;
  /** FPN / tower width (ref: 128; default 64 for the small CNN) */
  detectionWidth?: number;
  tasks: TaskSpec[];
  seed?: number;
}

export type ResolvedModelConfig = Required<UmedptModelConfig>;

function variablesOf(model: tfl.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

function nameSeed(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h, 31) + name.charCodeAt(i);
  return h;
}

export class UmedptModel implements SharedModelParts {
  readonly config: ResolvedModelConfig;
  readonly encoder: PyramidEncoder;
  readonly squeezer: tfl.LayersModel;
  readonly pixelDecoder: tfl.LayersModel | null;
  readonly detectionDecoder: DetectionDecoderSpec | null;
  readonly heads = new Map<string, TaskHead>();

  constructor(config: UmedptModelConfig) {
    assertInputSize(config.inputSize);
    if (!config.tasks.length) throw new Error('a UMedPT model needs at least one task');
    const names = new Set<string>();
    for (const t of config.tasks) {
      if (names.has(t.name)) throw new Error(`task name '${t.name}' is used twice`);
      names.add(t.name);
    }
    this.config = {
      encoder: config.encoder,
      inputSize: config.inputSize,
      squeezerWidth: config.squeezerWidth ?? 512,
      detectionWidth: config.detectionWidth ?? (config.encoder === 'small-cnn' ? 64 : 128),
      tasks: config.tasks.map((t) => ({ ...t })),
      seed: config.seed ?? 0,
    };
    const { seed, inputSize } = this.config;
    this.encoder = createEncoder(config.encoder, inputSize, hashSeed(seed, 1));
    this.squeezer = buildSqueezer(this.encoder.channels[3], this.config.squeezerWidth, hashSeed(seed, 2));
    const branches = new Set(config.tasks.map((t) => taskKindModule(t.kind).sharedBranch));
    this.pixelDecoder = branches.has('pixelDecoder') ? buildPixelDecoder(inputSize, this.encoder.channels, hashSeed(seed, 3)) : null;
    this.detectionDecoder = branches.has('detectionDecoder') ? buildDetectionDecoder(inputSize, this.encoder.channels, this.config.detectionWidth, hashSeed(seed, 4)) : null;
    for (const spec of this.config.tasks) {
      this.heads.set(spec.name, buildTaskHead(spec, this.config, hashSeed(seed, 5, nameSeed(spec.name))));
    }
  }

  get tasks(): TaskSpec[] {
    return this.config.tasks;
  }

  task(name: string): TaskSpec {
    const head = this.heads.get(name);
    if (!head) throw new Error(`unknown task '${name}'; the model has ${[...this.heads.keys()].join(', ')}`);
    return head.spec;
  }

  /** the shared models in a fixed order (checkpoints rely on it) */
  sharedComponents(): Array<{ name: string; model: tfl.LayersModel }> {
    const parts = [
      { name: 'encoder', model: this.encoder.model },
      { name: 'squeezer', model: this.squeezer },
    ];
    if (this.pixelDecoder) parts.push({ name: 'pixelDecoder', model: this.pixelDecoder });
    if (this.detectionDecoder) parts.push({ name: 'detectionDecoder', model: this.detectionDecoder.model });
    return parts;
  }

  /** shared variables a task of this kind trains (the others get no gradient from it) */
  sharedVariablesFor(kind: TaskKind): tf.Variable[] {
    const vars = variablesOf(this.encoder.model);
    const branch = this.branchModel(taskKindModule(kind).sharedBranch);
    if (branch) vars.push(...variablesOf(branch));
    return vars;
  }

  private branchModel(branch: SharedBranch): tfl.LayersModel | null {
    const models: Record<SharedBranch, tfl.LayersModel | null> = {
      squeezer: this.squeezer,
      pixelDecoder: this.pixelDecoder,
      detectionDecoder: this.detectionDecoder?.model ?? null,
    };
    return models[branch];
  }

  sharedVariables(): tf.Variable[] {
    return this.sharedComponents().flatMap((c) => variablesOf(c.model));
  }

  headVariables(taskName: string): tf.Variable[] {
    this.task(taskName);
    return variablesOf(this.heads.get(taskName)!.model);
  }

  detectionLevels(): DetectionLevel[] {
    if (!this.detectionDecoder) return [];
    return this.detectionDecoder.strides.map((stride) => ({ stride, size: Math.ceil(this.config.inputSize / stride) }));
  }

  /** [B, S, S, 1 | 3] -> pyramid at strides 4, 8, 16, 32 */
  pyramid(images: tf.Tensor4D): tf.Tensor4D[] {
    const [, h, w, c] = images.shape;
    const S = this.config.inputSize;
    if (h !== S || w !== S) throw new Error(`images are ${h}x${w}, but this model takes ${S}x${S} inputs`);
    if (c !== 3 && c !== 1) throw new Error(`images must have 1 or 3 channels, got ${c}`);
    const rgb = c === 1 ? tf.tile(images, [1, 1, 1, 3]) : images;
    return this.encoder.model.apply(rgb) as tf.Tensor4D[];
  }

  /** squeezer vectors [B, squeezerWidth]: what a frozen-encoder downstream task sees */
  embed(images: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => this.squeezer.apply(this.pyramid(images)[3]!) as tf.Tensor2D);
  }

  forward(taskName: string, images: tf.Tensor4D, options: ForwardOptions = {}): TaskOutput {
    const spec = this.task(taskName);
    const head = this.heads.get(taskName)!.model;
    const training = options.training ?? false;
    const kind = taskKindModule(spec.kind);
    return tf.tidy(() => kind.forward(this, head, spec, images, this.pyramid(images), { ...options, training })) as TaskOutput;
  }

  dispose(): void {
    for (const c of this.sharedComponents()) c.model.dispose();
    for (const h of this.heads.values()) h.model.dispose();
    this.heads.clear();
  }
}

export function createUmedptModel(config: UmedptModelConfig): UmedptModel {
  return new UmedptModel(config);
}
