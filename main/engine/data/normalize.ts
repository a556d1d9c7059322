/**
 * Intensity normalisation of one image. Inputs keep their source depth
 * (8/16-bit integers, signed CT values, floats); outputs are Float32Array.
 * Per-image statistics are taken over all channels together so the colour
 * balance of an RGB image is kept.
 */

export type NormalizationSpec =
  /** per-image zero mean, unit variance */
  | { kind: 'zscore' }
  /** per-image linear map of [min, max] to [0, 1] */
  | { kind: 'minmax' }
  /** fixed window [low, high] -> [0, 1], values outside clipped (CT/MR windows, 8-bit /255) */
  | { kind: 'window'; low: number; high: number }
  /** fixed per-channel statistics, e.g. dataset means (applied to values as they are) */
  | { kind: 'fixed'; mean: number[]; std: number[] };

export function normalizeImage(data: ArrayLike<number>, channels: number, spec: NormalizationSpec): Float32Array {
  switch (spec.kind) {
    case 'zscore':
      return zScoreNormalize(data);
    case 'minmax':
      return minMaxNormalize(data);
    case 'window':
      return windowNormalize(data, spec.low, spec.high);
    case 'fixed':
      return fixedNormalize(data, channels, spec.mean, spec.std);
  }
}

export function zScoreNormalize(data: ArrayLike<number>): Float32Array {
  const n = data.length;
  const out = new Float32Array(n);
  if (n === 0) return out;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += data[i] as number;
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) {
    const d = (data[i] as number) - mean;
    variance += d * d;
  }
  const std = Math.sqrt(variance / n);
  // A constant image carries no contrast: map it to all zeros instead of dividing by 0.
  if (std < 1e-12) return out;
  for (let i = 0; i < n; i++) out[i] = ((data[i] as number) - mean) / std;
  return out;
}

export function minMaxNormalize(data: ArrayLike<number>): Float32Array {
  const n = data.length;
  const out = new Float32Array(n);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = data[i] as number;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > lo)) return out;
  const scale = 1 / (hi - lo);
  for (let i = 0; i < n; i++) out[i] = ((data[i] as number) - lo) * scale;
  return out;
}

export function windowNormalize(data: ArrayLike<number>, low: number, high: number): Float32Array {
  if (!(high > low)) throw new Error(`window normalisation: high (${high}) must exceed low (${low})`);
  const n = data.length;
  const out = new Float32Array(n);
  const scale = 1 / (high - low);
  for (let i = 0; i < n; i++) {
    const v = ((data[i] as number) - low) * scale;
    out[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  return out;
}

export function fixedNormalize(data: ArrayLike<number>, channels: number, mean: number[], std: number[]): Float32Array {
  if (mean.length !== channels || std.length !== channels) {
    throw new Error(`fixed normalisation: need ${channels} means and stds, got ${mean.length} and ${std.length}`);
  }
  if (std.some((s) => !(s > 0))) throw new Error('fixed normalisation: every std must be > 0');
  const n = data.length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % channels;
    out[i] = ((data[i] as number) - (mean[c] as number)) / (std[c] as number);
  }
  return out;
}
