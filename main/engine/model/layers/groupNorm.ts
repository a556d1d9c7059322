/**
 * GroupNorm (affine). The shared blocks use it with ONE group, i.e. a
 * layer-norm over (H, W, C) per sample: every training batch comes from a
 * single task, so BatchNorm's batch statistics would swing between tasks.
 * On rank-2 inputs (the squeezer vector) it normalises over the features.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

export interface GroupNormArgs {
  /** number of groups over the channels (1 = layer-norm over H, W, C) */
  groups?: number;
  /** 'channel': normalise each pixel over its channels only (ConvNeXt's LayerNorm) */
  scope?: 'group' | 'channel';
  epsilon?: number;
  name?: string;
}

type Kwargs = Record<string, unknown>;
type Shape = Array<number | null>;

export class GroupNorm extends tfl.layers.Layer {
  static className = 'UmedptGroupNorm';
  readonly groups: number;
  readonly scope: 'group' | 'channel';
  readonly epsilon: number;
  private gamma: tfl.LayerVariable | null = null;
  private beta: tfl.LayerVariable | null = null;

  constructor(args: GroupNormArgs = {}) {
    super({ name: args.name });
    this.groups = args.groups ?? 1;
    this.scope = args.scope ?? 'group';
    this.epsilon = args.epsilon ?? 1e-5;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const channels = shape[shape.length - 1];
    if (channels == null) throw new Error(`${this.name}: GroupNorm needs a known channel count`);
    if (channels % this.groups !== 0) throw new Error(`${this.name}: ${channels} channels not divisible by ${this.groups} groups`);
    this.gamma = this.addWeight('gamma', [channels], 'float32', tfl.initializers.ones());
    this.beta = this.addWeight('beta', [channels], 'float32', tfl.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const gamma = this.gamma!.read();
      const beta = this.beta!.read();
      const normalised = this.scope === 'channel' ? normaliseChannels(x, this.epsilon) : normaliseGroups(x, this.groups, this.epsilon);
      return tf.add(tf.mul(normalised, gamma), beta);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), groups: this.groups, scope: this.scope, epsilon: this.epsilon };
  }
}

/** zero-mean, unit-variance over the last axis (per pixel / per vector) */
export function normaliseChannels(x: tf.Tensor, epsilon: number): tf.Tensor {
  const centred = tf.sub(x, tf.mean(x, -1, true));
  return tf.mul(centred, tf.rsqrt(tf.add(tf.mean(tf.square(centred), -1, true), epsilon)));
}

/** zero-mean, unit-variance per sample and group (no affine) */
export function normaliseGroups(x: tf.Tensor, groups: number, epsilon: number): tf.Tensor {
  const shape = x.shape;
  const channels = shape[shape.length - 1]!;
  if (x.rank === 2) return normaliseChannels(x, epsilon);
  if (groups === 1) {
    // no reshape needed: one group is every (H, W, C) value of a sample
    const centred = tf.sub(x, tf.mean(x, [1, 2, 3], true));
    return tf.mul(centred, tf.rsqrt(tf.add(tf.mean(tf.square(centred), [1, 2, 3], true), epsilon)));
  }
  if (x.rank !== 4) throw new Error(`GroupNorm expects rank 2 or 4 inputs, got rank ${x.rank}`);
  const [b, h, w] = shape as [number, number, number, number];
  const grouped = tf.reshape(x, [b, h, w, groups, channels / groups]);
  const centred = tf.sub(grouped, tf.mean(grouped, [1, 2, 4], true));
  const normalised = tf.mul(centred, tf.rsqrt(tf.add(tf.mean(tf.square(centred), [1, 2, 4], true), epsilon)));
  return tf.reshape(normalised, shape);
}

tf.serialization.registerClass(GroupNorm);
