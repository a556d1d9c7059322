/**
 * Resizing of interleaved images and label masks to the square training size.
 * Images: separable linear (triangle) filter on pixel centres; when shrinking,
 * the filter widens with the scale factor so large sources are averaged rather
 * than aliased (plain bilinear when enlarging). Masks: nearest neighbour, so
 * class ids are never blended.
 */

interface Taps {
  start: Int32Array;
  count: Int32Array;
  weights: Float32Array;
  maxTaps: number;
}

function filterTaps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const support = Math.max(scale, 1);
  // taps with non-zero weight satisfy |i + 0.5 - centre| < support
  const maxTaps = Math.ceil(2 * support) + 3;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float32Array(outSize * maxTaps);
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) * scale;
    const lo = Math.max(0, Math.floor(centre - support - 0.5));
    const hi = Math.min(inSize - 1, Math.ceil(centre + support - 0.5));
    let total = 0;
    let n = 0;
    const first = lo;
    for (let i = lo; i <= hi && n < maxTaps; i++) {
      const w = Math.max(0, 1 - Math.abs(i + 0.5 - centre) / support);
      weights[o * maxTaps + n] = w;
      total += w;
      n++;
    }
    if (total === 0) {
      // cannot happen for a centre inside the image; guard against rounding at the edges
      weights[o * maxTaps] = 1;
      total = 1;
      n = Math.max(n, 1);
    }
    for (let k = 0; k < n; k++) weights[o * maxTaps + k]! /= total;
    start[o] = first;
    count[o] = n;
  }
  return { start, count, weights, maxTaps };
}

export function resizeImage(
  data: ArrayLike<number>,
  width: number,
  height: number,
  channels: number,
  outWidth: number,
  outHeight: number,
): Float32Array {
  if (data.length !== width * height * channels) {
    throw new Error(`resize: ${data.length} values do not form a ${width}x${height} image with ${channels} channels`);
  }
  const tx = filterTaps(width, outWidth);
  const ty = filterTaps(height, outHeight);
  // horizontal pass: height x outWidth
  const mid = new Float32Array(height * outWidth * channels);
  for (let y = 0; y < height; y++) {
    for (let o = 0; o < outWidth; o++) {
      const s = tx.start[o]!;
      const n = tx.count[o]!;
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        for (let k = 0; k < n; k++) acc += (data[(y * width + s + k) * channels + c] as number) * tx.weights[o * tx.maxTaps + k]!;
        mid[(y * outWidth + o) * channels + c] = acc;
      }
    }
  }
  const out = new Float32Array(outHeight * outWidth * channels);
  for (let o = 0; o < outHeight; o++) {
    const s = ty.start[o]!;
    const n = ty.count[o]!;
    for (let x = 0; x < outWidth; x++) {
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        for (let k = 0; k < n; k++) acc += mid[((s + k) * outWidth + x) * channels + c]! * ty.weights[o * ty.maxTaps + k]!;
        out[(o * outWidth + x) * channels + c] = acc;
      }
    }
  }
  return out;
}

export function resizeMaskNearest(mask: ArrayLike<number>, width: number, height: number, outWidth: number, outHeight: number): Uint8Array {
  if (mask.length !== width * height) throw new Error(`resize: mask of ${mask.length} pixels is not ${width}x${height}`);
  const out = new Uint8Array(outWidth * outHeight);
  const sx = width / outWidth;
  const sy = height / outHeight;
  for (let y = 0; y < outHeight; y++) {
    const row = Math.min(height - 1, Math.floor((y + 0.5) * sy)) * width;
    for (let x = 0; x < outWidth; x++) out[y * outWidth + x] = mask[row + Math.min(width - 1, Math.floor((x + 0.5) * sx))] as number;
  }
  return out;
}
