/**
 * Bring an interleaved (HWC) image to exactly 3 channels, as the encoder
 * expects: grey is replicated (method: "grey images are replicated to 3
 * channels"), alpha is dropped.
 */

export function replicateGreyToRgb(grey: ArrayLike<number>): Float32Array {
  const n = grey.length;
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const v = grey[i] as number;
    out[3 * i] = v;
    out[3 * i + 1] = v;
    out[3 * i + 2] = v;
  }
  return out;
}

/** channels: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA */
export function toThreeChannels(data: ArrayLike<number>, channels: number): Float32Array {
  if (data.length % channels !== 0) {
    throw new Error(`toThreeChannels: ${data.length} values is not a multiple of ${channels} channels`);
  }
  const pixels = data.length / channels;
  if (channels === 1) return replicateGreyToRgb(data);
  const out = new Float32Array(pixels * 3);
  if (channels === 2) {
    for (let i = 0; i < pixels; i++) {
      const v = data[2 * i] as number;
      out[3 * i] = v;
      out[3 * i + 1] = v;
      out[3 * i + 2] = v;
    }
    return out;
  }
  if (channels === 3 || channels === 4) {
    for (let i = 0; i < pixels; i++) {
      out[3 * i] = data[channels * i] as number;
      out[3 * i + 1] = data[channels * i + 1] as number;
      out[3 * i + 2] = data[channels * i + 2] as number;
    }
    return out;
  }
  throw new Error(`toThreeChannels: unsupported channel count ${channels}`);
}
