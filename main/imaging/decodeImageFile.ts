import { readFile } from 'node:fs/promises';
import type { DecodedImage } from './decodedImage';
import { decodeBmpFile, readBmpHeader } from './bmpFile';
import { detectPixelFormat, type PixelFormat } from './detectPixelFormat';
import { decodeDicomFile, readDicomHeader } from './dicomFile';
import { decodeGifFile, readGifHeader } from './gifFile';
import type { ImageHeader } from './imageHeader';
import { decodeJpegFile, readJpegHeader } from './jpegFile';
import type { NiftiInPlane, SliceAxisName } from './niftiOrientation';
import { decodeNiftiFile, readNiftiHeader } from './niftiFile';
import { PixelDecodeError, withFileErrors } from './pixelDecodeError';
import { decodePngFile, readPngHeader } from './pngFile';
import { decodeTiffFile, readTiffHeader } from './tiffFile';

export type { ImageHeader } from './imageHeader';
export type { PixelFormat } from './detectPixelFormat';

export interface DecodeImageOptions {
  /** plane to slice NIfTI volumes along (default axial) */
  niftiAxis?: SliceAxisName;
  /** NIfTI slices turned to the display convention (default) or kept in stored voxel order */
  niftiInPlane?: NiftiInPlane;
}

function requireFormat(bytes: Uint8Array, fileName: string): PixelFormat {
  if (bytes.length === 0) throw new PixelDecodeError(fileName, 'file is empty');
  const format = detectPixelFormat(bytes, fileName);
  if (!format) throw new PixelDecodeError(fileName, 'not a recognised image format (PNG, JPEG, GIF, BMP, TIFF, DICOM, NIfTI)');
  return format;
}

/**
 * Every image in a file: one per DICOM frame, TIFF page, GIF frame or NIfTI
 * slice, with source depth kept. Async because the JPEG-LS and JPEG 2000
 * codecs are WebAssembly that initialises asynchronously.
 * Throws PixelDecodeError naming the file and the problem.
 */
export async function decodeImageBytes(bytes: Uint8Array, fileName: string, options: DecodeImageOptions = {}): Promise<DecodedImage[]> {
  const format = requireFormat(bytes, fileName);
  const decode = async (): Promise<DecodedImage[]> => {
    switch (format) {
      case 'png':
        return decodePngFile(bytes, fileName);
      case 'jpeg':
        return decodeJpegFile(bytes, fileName);
      case 'gif':
        return decodeGifFile(bytes, fileName);
      case 'bmp':
        return decodeBmpFile(bytes, fileName);
      case 'tiff':
        return decodeTiffFile(bytes, fileName);
      case 'dicom':
        return decodeDicomFile(bytes, fileName);
      case 'nifti':
        return decodeNiftiFile(bytes, fileName, options.niftiAxis ?? 'axial', options.niftiInPlane ?? 'display');
    }
  };
  try {
    return await decode();
  } catch (thrown) {
    // Codec bugs (RangeErrors on odd input) still become a per-file error.
    return withFileErrors(fileName, `${format} cannot be decoded`, () => {
      throw thrown;
    });
  }
}

/**
 * Size, depth, frame count and DICOM group keys without decoding pixels
 * (TIFF walks its directories, gzip'd NIfTI inflates only its first
 * kilobytes). Meant for fast cataloguing; decodeImageBytes validates fully.
 */
export function readImageHeader(bytes: Uint8Array, fileName: string, options: DecodeImageOptions = {}): ImageHeader {
  const format = requireFormat(bytes, fileName);
  return withFileErrors(fileName, `${format} header cannot be read`, () => {
    switch (format) {
      case 'png':
        return readPngHeader(bytes, fileName);
      case 'jpeg':
        return readJpegHeader(bytes, fileName);
      case 'gif':
        return readGifHeader(bytes, fileName);
      case 'bmp':
        return readBmpHeader(bytes, fileName);
      case 'tiff':
        return readTiffHeader(bytes, fileName);
      case 'dicom':
        return readDicomHeader(bytes, fileName);
      case 'nifti':
        return readNiftiHeader(bytes, fileName, options.niftiAxis ?? 'axial', options.niftiInPlane ?? 'display');
    }
  });
}

/** Reads a file from disk and decodes it; errors name the file by its path. */
export async function decodeImageFile(path: string, options: DecodeImageOptions = {}): Promise<DecodedImage[]> {
  const bytes = new Uint8Array(await readFile(path));
  return decodeImageBytes(bytes, path, options);
}
