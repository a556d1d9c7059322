/**
 * GELU activation, tanh approximation: it uses only tanh/mul/add, which every
 * tfjs backend (wasm included) implements with gradients, unlike erf. (x^3 is
 * x * x^2: Pow and its gradient are several times slower on wasm.)
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

const sqrtTwoOverPi = Math.sqrt(2 / Math.PI);

export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const inner = tf.mul(tf.add(x, tf.mul(tf.mul(x, tf.square(x)), 0.044715)), sqrtTwoOverPi);
    return tf.mul(tf.mul(x, tf.add(tf.tanh(inner), 1)), 0.5);
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
