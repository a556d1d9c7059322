/**
 * Nearest-neighbour 2x upsampling written as reshape + broadcast multiply, so
 * its gradient is a plain sum on every backend (wasm has no
 * ResizeNearestNeighborGrad-free path we can count on).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

type Shape = Array<number | null>;

export function upsample2x(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [b, h, w, c] = x.shape as [number, number, number, number];
    const ones = tf.ones([1, 1, 2, 1, 2, 1]);
    return tf.reshape(tf.mul(tf.reshape(x, [b, h, 1, w, 1, c]), ones), [b, h * 2, w * 2, c]);
  });
}

export class Upsample2x extends tfl.layers.Layer {
  static className = 'UmedptUpsample2x';

  constructor(args: { name?: string } = {}) {
    super({ name: args.name });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const [b, h, w, c] = s;
    return [b ?? null, h == null ? null : h * 2, w == null ? null : w * 2, c ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return upsample2x(Array.isArray(inputs) ? inputs[0]! : inputs);
  }
}

tf.serialization.registerClass(Upsample2x);
