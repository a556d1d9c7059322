import { GifReader } from 'omggif';
import { decode as decodeTiff } from 'tiff';
import { detectPixelFormat } from './detectPixelFormat';
import { PixelDecodeError, withFileErrors } from './pixelDecodeError';
import { decodeRawPng } from './pngFile';

/** A label image: one integer class value per pixel, row-major. */
export interface MaskPixels {
  width: number;
  height: number;
  data: Uint8Array | Uint16Array;
}

/** The first channel, provided every pixel is grey (all colour channels equal). */
function greyChannel(data: Uint8Array | Uint16Array, channels: number, colourChannels: number, fileName: string): Uint8Array | Uint16Array {
  const pixels = data.length / channels;
  const output = data instanceof Uint16Array ? new Uint16Array(pixels) : new Uint8Array(pixels);
  for (let pixel = 0; pixel < pixels; pixel++) {
    const value = data[pixel * channels] as number;
    for (let channel = 1; channel < colourChannels; channel++) {
      if (data[pixel * channels + channel] !== value) {
        throw new PixelDecodeError(fileName, `mask is a colour image (pixel ${pixel} is not grey); save class values as grey levels or palette indices`);
      }
    }
    output[pixel] = value;
  }
  return output;
}

function pngMask(bytes: Uint8Array, fileName: string): MaskPixels {
  const png = decodeRawPng(bytes, fileName);
  // Palette PNGs: the class is the palette index, never the colour.
  if (png.palette || png.channels === 1) return { width: png.width, height: png.height, data: png.data };
  const colourChannels = png.channels >= 3 ? 3 : 1;
  return { width: png.width, height: png.height, data: greyChannel(png.data, png.channels, colourChannels, fileName) };
}

function tiffMask(bytes: Uint8Array, fileName: string): MaskPixels {
  const pages = withFileErrors(fileName, 'TIFF mask cannot be decoded', () => decodeTiff(bytes));
  const page = pages[0];
  if (!page) throw new PixelDecodeError(fileName, 'TIFF mask has no pages');
  if (pages.length > 1) throw new PixelDecodeError(fileName, `TIFF mask has ${pages.length} pages; a mask must be a single 2D image`);
  const data = page.data;
  if (data instanceof Float32Array || data instanceof Float64Array) {
    if (!data.every((value) => Number.isInteger(value) && value >= 0 && value <= 0xffff)) {
      throw new PixelDecodeError(fileName, 'TIFF mask holds non-integer or out-of-range values; class values must be integers 0..65535');
    }
    return { width: page.width, height: page.height, data: Uint16Array.from(data) };
  }
  if (page.samplesPerPixel === 1) return { width: page.width, height: page.height, data };
  return { width: page.width, height: page.height, data: greyChannel(data, page.samplesPerPixel, Math.min(3, page.samplesPerPixel), fileName) };
}

/**
 * GIF masks: omggif only hands out colours, so each colour is mapped back to
 * the first palette index that has it (transparent pixels to the transparent index).
 */
function gifMask(bytes: Uint8Array, fileName: string): MaskPixels {
  const reader = withFileErrors(fileName, 'GIF mask is corrupt', () => new GifReader(bytes));
  if (reader.numFrames() === 0) throw new PixelDecodeError(fileName, 'GIF mask has no frames');
  const info = reader.frameInfo(0);
  const rgba = new Uint8Array(reader.width * reader.height * 4);
  withFileErrors(fileName, 'GIF mask is corrupt', () => reader.decodeAndBlitFrameRGBA(0, rgba));
  const paletteOffset = info.palette_offset ?? 0;
  const paletteSize = info.palette_size ?? 0;
  const indexByColour = new Map<number, number>();
  for (let index = paletteSize - 1; index >= 0; index--) {
    const at = paletteOffset + index * 3;
    indexByColour.set(((bytes[at] as number) << 16) | ((bytes[at + 1] as number) << 8) | (bytes[at + 2] as number), index);
  }
  const transparent = info.transparent_index ?? 0;
  const data = paletteSize > 256 ? new Uint16Array(reader.width * reader.height) : new Uint8Array(reader.width * reader.height);
  for (let pixel = 0; pixel < data.length; pixel++) {
    const at = pixel * 4;
    if (rgba[at + 3] === 0) {
      data[pixel] = transparent;
      continue;
    }
    const index = indexByColour.get(((rgba[at] as number) << 16) | ((rgba[at + 1] as number) << 8) | (rgba[at + 2] as number));
    if (index === undefined) throw new PixelDecodeError(fileName, `GIF mask pixel ${pixel} has a colour outside its palette`);
    data[pixel] = index;
  }
  return { width: reader.width, height: reader.height, data };
}

/**
 * Reads an integer mask (PNG, TIFF or GIF) as class values: grey levels as
 * they are, palette images by index. Colour masks with non-grey pixels are
 * rejected with a clear error rather than guessed at.
 */
export function readMaskPixels(bytes: Uint8Array, fileName: string): MaskPixels {
  const format = detectPixelFormat(bytes, fileName);
  switch (format) {
    case 'png':
      return pngMask(bytes, fileName);
    case 'tiff':
      return tiffMask(bytes, fileName);
    case 'gif':
      return gifMask(bytes, fileName);
    default:
      throw new PixelDecodeError(fileName, `masks must be PNG, TIFF or GIF, not ${format ?? 'an unrecognised format'}`);
  }
}
