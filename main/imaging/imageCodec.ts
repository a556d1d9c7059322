/**
 * The one door to the pixel codecs of main/imaging: checking and describing
 * files at import, decoding stored files, masks, PNG encoding and previews.
 * Importers, catalog, runs and studies decode through it, never through the
 * codec modules themselves.
 */
import { encode as encodePngRaw } from 'fast-png';
import { decodeImageBytes } from './decodeImageFile';
import { encodePng, renderPreviewPng, type PreviewOptions } from './encodePng';
import { readMaskPixels } from './maskPixels';
import { detectPixelFormat } from './detectPixelFormat';
import type { NiftiInPlane, SliceAxisName } from './niftiOrientation';
import type { DecodedImage } from './decodedImage';
import { checkPngChunks, isPng } from './pngChunkCheck';
import { checkJpegStructure, isJpeg } from './jpegStructureCheck';
import { maskFrameOf, type MaskFrame } from './maskValues';
import type { ImageFrameFacts } from '../../shared/api/catalog';
import { checkPixelBudget } from './pixelBudget';

export type { PreviewOptions } from './encodePng';

export interface DecodeOptions {
  /** plane NIfTI volumes are sliced along */
  niftiAxis?: SliceAxisName;
  /** NIfTI slices turned to one display orientation (default) or in stored voxel order */
  niftiInPlane?: NiftiInPlane;
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

function problemOf(thrown: unknown, fileName: string): string {
  const text = thrown instanceof Error ? thrown.message : String(thrown);
  return text.startsWith(`${fileName}: `) ? text.slice(fileName.length + 2) : text;
}

function niftiOptions(options: DecodeOptions): { niftiAxis?: SliceAxisName; niftiInPlane?: NiftiInPlane } {
  return { ...(options.niftiAxis ? { niftiAxis: options.niftiAxis } : {}), ...(options.niftiInPlane ? { niftiInPlane: options.niftiInPlane } : {}) };
}

/** Every frame / page / slice of the file, at the source's bit depth. */
export async function decodeImageFrames(bytes: Uint8Array, fileName: string, options: DecodeOptions = {}): Promise<DecodedImage[]> {
  try {
    checkPixelBudget(bytes, fileName, options);
    return await decodeImageBytes(bytes, fileName, niftiOptions(options));
  } catch (error) {
    throw new ImageDecodeError(fileName, problemOf(error, fileName));
  }
}

/** What the catalog records per frame; no pixel data. */
export interface FrameFacts extends ImageFrameFacts {
  metadata: Record<string, unknown>;
}

/**
 * Checks a file is a whole, readable image and describes its frames. PNGs
 * are checked chunk by chunk (CRCs) and JPEGs marker by marker, without
 * decoding (the store keeps the original bytes; 1,000s of files a minute);
 * other formats (DICOM, NIfTI, TIFF...) are decoded in full, the only sure
 * check for them.
 */
export async function inspectImageFrames(bytes: Uint8Array, fileName: string, options: DecodeOptions = {}): Promise<FrameFacts[]> {
  const quick = isPng(bytes) ? checkPngChunks : isJpeg(bytes) ? checkJpegStructure : null;
  try {
    checkPixelBudget(bytes, fileName, options);
  } catch (error) {
    throw new ImageDecodeError(fileName, problemOf(error, fileName));
  }
  if (quick) {
    try {
      return [{ frameIndex: 0, ...quick(bytes, fileName), metadata: {} }];
    } catch (error) {
      throw new ImageDecodeError(fileName, problemOf(error, fileName));
    }
  }
  const frames = await decodeImageFrames(bytes, fileName, options);
  return frames.map((f, i) => ({ frameIndex: f.frameIndex ?? i, width: f.width, height: f.height, channels: f.channels, bitDepth: f.bitDepth, photometric: f.photometric, metadata: { ...(f.metadata ?? {}) } }));
}

/**
 * Label values of a mask file, one frame per slice: 2D masks (PNG, TIFF,
 * GIF) through the mask reader (palette indices kept as values), volumes
 * (NIfTI, DICOM) decoded and sliced like their images.
 */
export async function decodeMaskFrames(bytes: Uint8Array, fileName: string, options: DecodeOptions = {}): Promise<MaskFrame[]> {
  const format = detectPixelFormat(bytes, fileName);
  try {
    checkPixelBudget(bytes, fileName, options);
    if (format === 'png' || format === 'tiff' || format === 'gif') {
      const mask = readMaskPixels(bytes, fileName);
      return [{ width: mask.width, height: mask.height, values: mask.data }];
    }
    const frames = await decodeImageBytes(bytes, fileName, niftiOptions(options));
    return frames.map((f) => maskFrameOf(f, fileName));
  } catch (error) {
    throw new ImageDecodeError(fileName, problemOf(error, fileName));
  }
}

/** Lossless PNG of a decoded 8- or 16-bit image. */
export function encodePngImage(image: DecodedImage): Uint8Array {
  return encodePng(image);
}

/** 8-bit grey PNG (class-id masks). */
export function encodeGreyPng(width: number, height: number, data: Uint8Array): Uint8Array {
  return encodePngRaw({ width, height, channels: 1, depth: 8, data });
}

/** Display PNG (8-bit, longest side <= maxSide) with window/level for deep images. */
export function renderPreview(image: DecodedImage, options: PreviewOptions): Uint8Array {
  return renderPreviewPng(image, options);
}
