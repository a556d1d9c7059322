/**
 * The linear head of the frozen-encoder mode: multinomial logistic
 * regression on squeezer vectors, trained full-batch with Adam.
 * Plain typed-array arithmetic: the matrices are tiny (images x vector
 * width x classes), where tfjs would spend its time dispatching ops.
 * Features are standardised with the training subset's own mean and spread
 * (never the test split's), so one learning rate suits every encoder whatever
 * the scale of its vectors. The problem is convex, so zero-initialised
 * weights and full batches make the result independent of any seed.
 */
import type { EmbeddingMatrix } from './embeddings';

export interface LinearProbeOptions {
  epochs: number;
  learningRate: number;
  /** L2 penalty on the weights (not the biases) */
  l2?: number;
}

export interface LinearProbe {
  /** row-major N x C class probabilities */
  predict(features: EmbeddingMatrix): Float32Array;
  /** mean cross-entropy on the training rows after each epoch */
  losses: number[];
  /**
   * the probe as one dense layer on the unstandardised features (the
   * standardisation folded in): kernel D x C row-major, bias C; what a
   * fine-tuned head starts from
   */
  denseWeights(): { kernel: Float32Array; bias: Float32Array };
}

function columnStats(x: EmbeddingMatrix): { mean: Float64Array; inverseSd: Float64Array } {
  const { rows, width, values } = x;
  const mean = new Float64Array(width);
  const inverseSd = new Float64Array(width);
  for (let r = 0; r < rows; r++) for (let c = 0; c < width; c++) mean[c]! += values[r * width + c]! / rows;
  for (let c = 0; c < width; c++) {
    let v = 0;
    for (let r = 0; r < rows; r++) v += (values[r * width + c]! - mean[c]!) ** 2;
    // a constant column (e.g. a dead unit) stays at 0 instead of dividing by 0
    inverseSd[c] = 1 / Math.sqrt(v / rows + 1e-6);
  }
  return { mean, inverseSd };
}

function standardise(x: EmbeddingMatrix, mean: Float64Array, inverseSd: Float64Array): Float64Array {
  const out = new Float64Array(x.rows * x.width);
  for (let r = 0; r < x.rows; r++) for (let c = 0; c < x.width; c++) out[r * x.width + c] = (x.values[r * x.width + c]! - mean[c]!) * inverseSd[c]!;
  return out;
}

/** softmax of row r of x·W + b into probs (length C) */
function rowProbabilities(x: Float64Array, r: number, D: number, C: number, w: Float64Array, b: Float64Array, probs: Float64Array): void {
  let max = -Infinity;
  for (let k = 0; k < C; k++) {
    let z = b[k]!;
    for (let d = 0; d < D; d++) z += x[r * D + d]! * w[d * C + k]!;
    probs[k] = z;
    if (z > max) max = z;
  }
  let sum = 0;
  for (let k = 0; k < C; k++) sum += probs[k] = Math.exp(probs[k]! - max);
  for (let k = 0; k < C; k++) probs[k]! /= sum;
}

export function trainLinearProbe(train: EmbeddingMatrix, labels: ArrayLike<number>, numClasses: number, options: LinearProbeOptions): LinearProbe {
  if (train.rows !== labels.length) throw new Error(`linear probe: ${train.rows} feature rows but ${labels.length} labels`);
  if (!train.rows) throw new Error('linear probe: no training rows');
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= numClasses) throw new Error(`linear probe: label ${y} of row ${i} is not a class in 0..${numClasses - 1}`);
  }
  const N = train.rows;
  const D = train.width;
  const C = numClasses;
  const { mean, inverseSd } = columnStats(train);
  const x = standardise(train, mean, inverseSd);
  const params = new Float64Array(D * C + C); // weights (D x C) then biases (C)
  const w = params.subarray(0, D * C);
  const b = params.subarray(D * C);
  const grad = new Float64Array(params.length);
  const m = new Float64Array(params.length);
  const v = new Float64Array(params.length);
  const probs = new Float64Array(C);
  const l2 = options.l2 ?? 1e-3;
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  const losses: number[] = [];
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    grad.fill(0);
    let loss = 0;
    for (let r = 0; r < N; r++) {
      rowProbabilities(x, r, D, C, w, b, probs);
      const y = labels[r]!;
      loss -= Math.log(Math.max(probs[y]!, 1e-12)) / N;
      for (let k = 0; k < C; k++) {
        const g = (probs[k]! - (k === y ? 1 : 0)) / N;
        grad[D * C + k]! += g;
        for (let d = 0; d < D; d++) grad[d * C + k]! += g * x[r * D + d]!;
      }
    }
    for (let i = 0; i < D * C; i++) grad[i]! += 2 * l2 * w[i]!;
    losses.push(loss);
    const step = (options.learningRate * Math.sqrt(1 - beta2 ** epoch)) / (1 - beta1 ** epoch);
    for (let i = 0; i < params.length; i++) {
      m[i] = beta1 * m[i]! + (1 - beta1) * grad[i]!;
      v[i] = beta2 * v[i]! + (1 - beta2) * grad[i]! ** 2;
      params[i]! -= (step * m[i]!) / (Math.sqrt(v[i]!) + eps);
    }
  }
  return {
    losses,
    denseWeights() {
      const kernel = new Float32Array(D * C);
      const bias = new Float32Array(C);
      for (let k = 0; k < C; k++) {
        let shift = b[k]!;
        for (let d = 0; d < D; d++) {
          kernel[d * C + k] = w[d * C + k]! * inverseSd[d]!;
          shift -= mean[d]! * inverseSd[d]! * w[d * C + k]!;
        }
        bias[k] = shift;
      }
      return { kernel, bias };
    },
    predict(features) {
      if (features.width !== D) throw new Error(`linear probe: features are ${features.width} wide, the probe was trained on ${D}`);
      const xs = standardise(features, mean, inverseSd);
      const out = new Float32Array(features.rows * C);
      for (let r = 0; r < features.rows; r++) {
        rowProbabilities(xs, r, D, C, w, b, probs);
        out.set(probs, r * C);
      }
      return out;
    },
  };
}
