/**
 * The importers' one door to pixel codecs (main/importers/pixels, written
 * alongside): decoding every frame of a file, encoding PNGs and previews.
 * Kept as a thin adapter so the catalog code does not depend on the codec
 * modules' layout.
 */
import { decode as decodePng, encode as encodePngRaw } from 'fast-png';
import jpeg from 'jpeg-js';
import type { DecodedImage } from './pixels/decodedImage';
import { checkPngChunks, isPng } from './pngChunkCheck';
import { checkJpegStructure, isJpeg } from './jpegStructureCheck';

export interface DecodeOptions {
  niftiAxis?: 0 | 1 | 2;
}

export class ImageDecodeError extends Error {
  constructor(
    readonly fileName: string,
    readonly problem: string,
  ) {
    super(`${fileName}: ${problem}`);
    this.name = 'ImageDecodeError';
  }
}

function message(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}

/** Every frame / page / slice of the file, at the source's bit depth. */
export async function decodeImageFrames(bytes: Uint8Array, fileName: string, _options: DecodeOptions = {}): Promise<DecodedImage[]> {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) {
    try {
      const png = decodePng(bytes, { checkCrc: true });
      const channels = png.channels as DecodedImage['channels'];
      return [{ width: png.width, height: png.height, channels, bitDepth: png.depth, data: png.data as Uint8Array | Uint16Array, photometric: channels >= 3 ? 'RGB' : 'MONOCHROME2' }];
    } catch (error) {
      throw new ImageDecodeError(fileName, `broken PNG: ${message(error)}`);
    }
  }
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    try {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false });
      return [{ width: img.width, height: img.height, channels: 3, bitDepth: 8, data: img.data, photometric: 'RGB' }];
    } catch (error) {
      throw new ImageDecodeError(fileName, `broken JPEG: ${message(error)}`);
    }
  }
  throw new ImageDecodeError(fileName, 'not an image format this build can read');
}

/** What the catalog records per frame; no pixel data. */
export interface FrameFacts {
  frameIndex: number;
  width: number;
  height: number;
  channels: number;
  bitDepth: number;
  photometric: string;
  metadata: Record<string, unknown>;
}

/**
 * Checks a file is a whole, readable image and describes its frames. PNGs
 * are checked chunk by chunk (CRCs) and JPEGs marker by marker, without
 * decoding; other formats are
 * decoded in full, which is the only sure check for them.
 */
export async function inspectImageFrames(bytes: Uint8Array, fileName: string, options: DecodeOptions = {}): Promise<FrameFacts[]> {
  if (isPng(bytes)) {
    let facts;
    try {
      facts = checkPngChunks(bytes, fileName);
    } catch (error) {
      throw new ImageDecodeError(fileName, message(error).replace(`${fileName}: `, ''));
    }
    return [{ frameIndex: 0, ...facts, metadata: {} }];
  }
  if (isJpeg(bytes)) {
    let facts;
    try {
      facts = checkJpegStructure(bytes, fileName);
    } catch (error) {
      throw new ImageDecodeError(fileName, message(error).replace(`${fileName}: `, ''));
    }
    return [{ frameIndex: 0, ...facts, metadata: {} }];
  }
  const frames = await decodeImageFrames(bytes, fileName, options);
  return frames.map((f, i) => ({ frameIndex: f.frameIndex ?? i, width: f.width, height: f.height, channels: f.channels, bitDepth: f.bitDepth, photometric: f.photometric, metadata: { ...(f.metadata ?? {}) } }));
}

/** Lossless PNG of a decoded 8- or 16-bit image. */
export function encodePngImage(image: DecodedImage): Uint8Array {
  return encodePngRaw({ width: image.width, height: image.height, channels: image.channels, depth: image.bitDepth === 16 ? 16 : 8, data: image.data as Uint8Array | Uint16Array });
}

/** 8-bit grey PNG (class-id masks). */
export function encodeGreyPng(width: number, height: number, data: Uint8Array): Uint8Array {
  return encodePngRaw({ width, height, channels: 1, depth: 8, data });
}

export interface PreviewOptions {
  maxSide: number;
  windowCenter?: number;
  windowWidth?: number;
}

/** Display PNG (8-bit, longest side <= maxSide) with window/level for deep images. */
export function renderPreview(image: DecodedImage, options: PreviewOptions): Uint8Array {
  const scale = Math.min(1, options.maxSide / Math.max(image.width, image.height));
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const outChannels = image.channels >= 3 ? 3 : 1;
  let lo = 0;
  let hi = 255;
  if (options.windowWidth !== undefined && options.windowCenter !== undefined) {
    lo = options.windowCenter - options.windowWidth / 2;
    hi = options.windowCenter + options.windowWidth / 2;
  } else if (image.bitDepth !== 8) {
    lo = Infinity;
    hi = -Infinity;
    for (const v of image.data) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const span = hi > lo ? hi - lo : 1;
  const out = new Uint8Array(width * height * outChannels);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(image.height - 1, Math.floor(y / scale));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(image.width - 1, Math.floor(x / scale));
      for (let c = 0; c < outChannels; c++) {
        const v = image.data[(sy * image.width + sx) * image.channels + c]!;
        out[(y * width + x) * outChannels + c] = Math.max(0, Math.min(255, Math.round(((v - lo) / span) * 255)));
      }
    }
  }
  return encodePngRaw({ width, height, channels: outChannels, depth: 8, data: out });
}
