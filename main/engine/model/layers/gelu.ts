/**
 * GELU activation, tanh approximation, 0.5 x (1 + tanh(z)) with
 * z = sqrt(2/pi) (x + 0.044715 x^3), computed as the identical x sigmoid(2z):
 * only mul/add/sigmoid, which every tfjs backend (wasm included) has with
 * gradients (unlike erf), and few kernels (small models are bound by the
 * per-kernel overhead). No Pow: it and its gradient are slow on wasm.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

const linear = 2 * Math.sqrt(2 / Math.PI);
const cubic = linear * 0.044715;

export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const twoZ = tf.mul(x, tf.add(tf.mul(tf.square(x), cubic), linear));
    return tf.mul(x, tf.sigmoid(twoZ));
  });
}

export class Gelu extends tfl.layers.Layer {
  static className = 'UmedptGelu';

  constructor(args: { name?: string } = {}) {
    super({ name: args.name });
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return gelu(Array.isArray(inputs) ? inputs[0]! : inputs);
  }
}

tf.serialization.registerClass(Gelu);
