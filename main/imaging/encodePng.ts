import { encode } from 'fast-png';
import type { DecodedImage } from './decodedImage';
import { chooseDisplayWindow, windowTo8Bit } from './displayWindow';
import { pngRescaleInterceptKey, pngRescaleSlopeKey } from './pngIntensityText';
import { sampleRange } from './pixelValues';

interface PngSamples {
  data: Uint8Array | Uint16Array;
  depth: 8 | 16;
  text: Record<string, string>;
}

/**
 * The image's samples as PNG can hold them: 8-bit stays 8-bit, everything
 * deeper becomes 16-bit. Signed or real values are shifted/scaled into
 * 0..65535 with the way back written as tEXt (see pngIntensityText).
 */
function toPngSamples(image: DecodedImage): PngSamples {
  const { data } = image;
  if (data instanceof Uint8Array) return { data, depth: 8, text: {} };
  if (data instanceof Uint16Array) return { data, depth: 16, text: {} };
  const [min, max] = sampleRange(data);
  const integral = data instanceof Int16Array || data.every((value) => Number.isInteger(value));
  if (integral && min >= 0 && max <= 0xffff) return { data: Uint16Array.from(data), depth: 16, text: {} };
  if (integral && max - min <= 0xffff) {
    // Exact: shift by the minimum so the stored values fit, and say so.
    const output = new Uint16Array(data.length);
    for (let index = 0; index < data.length; index++) output[index] = (data[index] as number) - min;
    return { data: output, depth: 16, text: { [pngRescaleSlopeKey]: '1', [pngRescaleInterceptKey]: String(min) } };
  }
  // Real-valued data: quantise the range to 16 bits (step = range / 65535).
  const slope = max > min ? (max - min) / 0xffff : 1;
  const output = new Uint16Array(data.length);
  for (let index = 0; index < data.length; index++) output[index] = Math.round(((data[index] as number) - min) / slope);
  return { data: output, depth: 16, text: { [pngRescaleSlopeKey]: String(slope), [pngRescaleInterceptKey]: String(min) } };
}

/** Lossless PNG of a decoded image, keeping 16-bit depth where the source has it. */
export function encodePng(image: DecodedImage): Uint8Array {
  const samples = toPngSamples(image);
  return encode({ width: image.width, height: image.height, channels: image.channels, depth: samples.depth, data: samples.data, text: samples.text });
}

/** Area-averaging downscale of interleaved 8-bit samples so the longer side is at most maxSide. */
function downscale(samples: Uint8Array, width: number, height: number, channels: number, maxSide: number): { data: Uint8Array; width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  if (scale >= 1) return { data: samples, width, height };
  const outWidth = Math.max(1, Math.round(width * scale));
  const outHeight = Math.max(1, Math.round(height * scale));
  const output = new Uint8Array(outWidth * outHeight * channels);
  for (let outY = 0; outY < outHeight; outY++) {
    const y0 = Math.floor((outY * height) / outHeight);
    const y1 = Math.max(y0 + 1, Math.floor(((outY + 1) * height) / outHeight));
    for (let outX = 0; outX < outWidth; outX++) {
      const x0 = Math.floor((outX * width) / outWidth);
      const x1 = Math.max(x0 + 1, Math.floor(((outX + 1) * width) / outWidth));
      for (let channel = 0; channel < channels; channel++) {
        let sum = 0;
        for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += samples[(y * width + x) * channels + channel] as number;
        output[(outY * outWidth + outX) * channels + channel] = Math.round(sum / ((y1 - y0) * (x1 - x0)));
      }
    }
  }
  return { data: output, width: outWidth, height: outHeight };
}

/** Drops the alpha channel: previews are shown on an opaque background. */
function withoutAlpha(samples: Uint8Array, channels: number): { data: Uint8Array; channels: 1 | 3 } {
  if (channels === 1 || channels === 3) return { data: samples, channels };
  const kept = channels === 2 ? 1 : 3;
  const pixels = samples.length / channels;
  const output = new Uint8Array(pixels * kept);
  for (let pixel = 0; pixel < pixels; pixel++) for (let channel = 0; channel < kept; channel++) output[pixel * kept + channel] = samples[pixel * channels + channel] as number;
  return { data: output, channels: kept };
}

export interface PreviewOptions {
  maxSide: number;
  windowCenter?: number;
  windowWidth?: number;
}

/**
 * An 8-bit preview PNG: window/level (the given one, else the file's DICOM
 * window, else the data's min..max), MONOCHROME1 inverted after windowing,
 * alpha dropped, downscaled to fit maxSide.
 */
export function renderPreviewPng(image: DecodedImage, options: PreviewOptions): Uint8Array {
  const window = chooseDisplayWindow(image, options);
  const windowed = withoutAlpha(windowTo8Bit(image, window), image.channels);
  const small = downscale(windowed.data, image.width, image.height, windowed.channels, Math.max(1, Math.floor(options.maxSide)));
  return encode({ width: small.width, height: small.height, channels: windowed.channels, depth: 8, data: small.data });
}
