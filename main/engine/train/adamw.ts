/**
 * AdamW with decoupled weight decay (Loshchilov & Hutter), which tfjs lacks:
 *   p <- p - lr * wd * p
 *   m <- b1 m + (1 - b1) g ;  v <- b2 v + (1 - b2) g^2
 *   p <- p - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * with a step count t per variable: a variable that gets no gradient in a
 * step is left alone (no decay, no moment update), as PyTorch's AdamW does
 * for parameters without a gradient. Variables are held in a fixed order so a
 * checkpoint can restore the moments into a freshly built model.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface AdamWOptions {
  learningRate?: number;
  weightDecay?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export const defaultAdamW: Required<AdamWOptions> = { learningRate: 1e-4, weightDecay: 1e-2, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

export interface AdamWState {
  steps: number[];
  /** first and second moments, in variable order */
  m: tf.Tensor[];
  v: tf.Tensor[];
}

/** A non-trainable zero variable shaped like x; the zeros it starts from are released (the variable keeps its own reference). */
function zeroMoment(x: tf.Variable): tf.Variable {
  const zeros = tf.zerosLike(x);
  const moment = tf.variable(zeros, false);
  zeros.dispose();
  return moment;
}

export class AdamW {
  readonly options: Required<AdamWOptions>;
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];
  private readonly steps: number[];

  constructor(
    readonly variables: tf.Variable[],
    options: AdamWOptions = {},
  ) {
    this.options = { ...defaultAdamW, ...options };
    this.m = variables.map((x) => zeroMoment(x));
    this.v = variables.map((x) => zeroMoment(x));
    this.steps = variables.map(() => 0);
  }

  /**
   * One update. `grads[i]` belongs to `variables[i]`; null/undefined skips it.
   * The caller keeps ownership of the gradient tensors.
   */
  apply(grads: ReadonlyArray<tf.Tensor | null | undefined>, learningRate = this.options.learningRate): void {
    if (grads.length !== this.variables.length) throw new Error(`AdamW: ${grads.length} gradients for ${this.variables.length} variables`);
    const { weightDecay, beta1, beta2, epsilon } = this.options;
    // One scalar tensor per distinct constant of this update, shared by every
    // variable: a JavaScript number in an op is uploaded anew each time (on a
    // GPU backend, several uploads per variable per step). Same values, same results.
    const constants = new Map<number, tf.Scalar>();
    const c = (x: number): tf.Scalar => {
      let t = constants.get(x);
      if (!t) constants.set(x, (t = tf.keep(tf.scalar(x))));
      return t;
    };
    try {
      grads.forEach((g, i) => {
        if (!g) return;
        const p = this.variables[i]!;
        const m = this.m[i]!;
        const v = this.v[i]!;
        const t = (this.steps[i] = this.steps[i]! + 1);
        tf.tidy(() => {
          const newM = tf.add(tf.mul(m, c(beta1)), tf.mul(g, c(1 - beta1)));
          const newV = tf.add(tf.mul(v, c(beta2)), tf.mul(tf.square(g), c(1 - beta2)));
          const mHat = tf.div(newM, c(1 - beta1 ** t));
          const vHat = tf.div(newV, c(1 - beta2 ** t));
          const decayed = tf.mul(p, c(1 - learningRate * weightDecay));
          const update = tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), c(epsilon))), c(learningRate));
          m.assign(newM);
          v.assign(newV);
          p.assign(tf.sub(decayed, update));
        });
      });
    } finally {
      tf.dispose([...constants.values()]);
    }
  }

  /** views of the state (not copies: read them before the next apply) */
  getState(): AdamWState {
    return { steps: [...this.steps], m: [...this.m], v: [...this.v] };
  }

  setState(state: { steps: number[]; m: ArrayLike<number>[]; v: ArrayLike<number>[] }): void {
    if (state.steps.length !== this.variables.length) throw new Error(`AdamW state has ${state.steps.length} variables, this optimizer ${this.variables.length}`);
    this.variables.forEach((x, i) => {
      const m = state.m[i]!;
      const v = state.v[i]!;
      if (m.length !== x.size || v.length !== x.size) throw new Error(`AdamW state: variable ${i} has ${x.size} values, the saved moments ${m.length}`);
      this.m[i]!.assign(tf.tensor(Float32Array.from(m), x.shape));
      this.v[i]!.assign(tf.tensor(Float32Array.from(v), x.shape));
      this.steps[i] = state.steps[i]!;
    });
  }

  dispose(): void {
    for (const t of [...this.m, ...this.v]) t.dispose();
  }
}
