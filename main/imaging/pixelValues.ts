import type { PixelArray } from './decodedImage';

/** Smallest and largest sample (NaN ignored); [0, 0] for an empty array. */
export function sampleRange(data: ArrayLike<number>): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  // Stryker disable next-line EqualityOperator: equivalent, data[length] is undefined and compares false
  for (let index = 0; index < data.length; index++) {
    const value = data[index] as number;
    // Stryker disable next-line EqualityOperator: equivalent, taking an equal value again changes nothing
    if (value < min) min = value;
    // Stryker disable next-line EqualityOperator: equivalent, as above
    if (value > max) max = value;
  }
  return min <= max ? [min, max] : [0, 0];
}

/**
 * Applies value = stored * slope + intercept, choosing the narrowest array
 * that holds the result exactly: integers stay integers (CT stays Int16 in
 * HU), anything fractional becomes Float32. With the stored range the data
 * set declares (DICOM bits stored and sign), signedness follows that range,
 * not this frame's values, so every slice of a series gets one type.
 */
export function applyRescale(data: PixelArray, slope: number, intercept: number, declaredStoredRange?: readonly [number, number]): PixelArray {
  if (slope === 1 && intercept === 0) return data;
  const [storedMin, storedMax] = sampleRange(data);
  const ends = [storedMin * slope + intercept, storedMax * slope + intercept];
  const low = Math.min(...ends);
  const high = Math.max(...ends);
  const declaredLow = declaredStoredRange ? Math.min(declaredStoredRange[0] * slope + intercept, declaredStoredRange[1] * slope + intercept) : low;
  const unsigned = declaredLow >= 0;
  const integral = Number.isInteger(slope) && Number.isInteger(intercept) && !(data instanceof Float32Array);
  let output: PixelArray;
  if (integral && unsigned && low >= 0 && high <= 0xff && data instanceof Uint8Array) output = new Uint8Array(data.length);
  else if (integral && unsigned && low >= 0 && high <= 0xffff) output = new Uint16Array(data.length);
  else if (integral && low >= -0x8000 && high <= 0x7fff) output = new Int16Array(data.length);
  else output = new Float32Array(data.length);
  // Stryker disable next-line EqualityOperator: equivalent, index `length` writes past the output's end (ignored)
  for (let index = 0; index < data.length; index++) output[index] = (data[index] as number) * slope + intercept;
  return output;
}

/** Expands 1/2/4-bit samples packed MSB-first with rows padded to whole bytes. */
export function unpackSubByteSamples(packed: Uint8Array, width: number, height: number, depth: number, channels: number): Uint8Array {
  const samplesPerRow = width * channels;
  const bytesPerRow = Math.ceil((samplesPerRow * depth) / 8);
  const output = new Uint8Array(samplesPerRow * height);
  const mask = (1 << depth) - 1;
  // Stryker disable next-line EqualityOperator: equivalent, row `height` writes past the output's end (ignored)
  for (let row = 0; row < height; row++) {
    // Stryker disable next-line EqualityOperator: equivalent, sample `samplesPerRow` lands on the next row's first sample, written again right after (or past the end)
    for (let sample = 0; sample < samplesPerRow; sample++) {
      const bit = sample * depth;
      const byte = packed[row * bytesPerRow + (bit >> 3)] ?? 0;
      output[row * samplesPerRow + sample] = (byte >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return output;
}

/** Looks palette indices up into interleaved RGB or RGBA samples. */
export function expandPalette(indices: ArrayLike<number>, palette: ReadonlyArray<ReadonlyArray<number>>, channels: 3 | 4): Uint8Array {
  const output = new Uint8Array(indices.length * channels);
  // Stryker disable next-line EqualityOperator: equivalent, pixel `length` writes past the output's end (ignored)
  for (let pixel = 0; pixel < indices.length; pixel++) {
    const colour = palette[indices[pixel] as number];
    // Stryker disable next-line EqualityOperator: equivalent, channel `channels` lands on the next pixel's first channel, written again right after (or past the end)
    for (let channel = 0; channel < channels; channel++) {
      output[pixel * channels + channel] = colour?.[channel] ?? (channel === 3 ? 255 : 0);
    }
  }
  return output;
}
