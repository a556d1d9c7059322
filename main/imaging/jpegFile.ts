import jpeg from 'jpeg-js';
import type { DecodedImage, PixelArray } from './decodedImage';
import { plainHeader, type ImageHeader } from './imageHeader';
import { readJpegFrameHeader, type JpegFrameHeader } from './jpegMarkers';
import { decodeExtendedJpeg } from './extendedJpegDecoder';
import type { DecodedJpegFrame } from './decodedJpegFrame';
import { PixelDecodeError, withFileErrors } from './pixelDecodeError';

function requireFrameHeader(bytes: Uint8Array, fileName: string): JpegFrameHeader {
  const header = readJpegFrameHeader(bytes);
  if (!header) throw new PixelDecodeError(fileName, 'JPEG has no readable start-of-frame segment (truncated or not a JPEG)');
  return header;
}

export type { DecodedJpegFrame } from './decodedJpegFrame';

export function readJpegHeader(bytes: Uint8Array, fileName: string): ImageHeader {
  const header = requireFrameHeader(bytes, fileName);
  return plainHeader('jpeg', {
    width: header.width,
    height: header.height,
    channels: header.components === 1 ? 1 : 3,
    bitDepth: header.precision,
    frames: 1,
    photometric: header.components === 1 ? 'MONOCHROME2' : 'RGB',
  });
}

/**
 * Decodes a DCT JPEG (baseline or extended, 8 or 12 bit). 8-bit streams go
 * through jpeg-js; 12-bit ones through our own decoder, because jpeg-js
 * clamps every sample to 8 bits.
 */
export function decodeDctJpeg(bytes: Uint8Array, fileName: string, options: { colorTransform?: boolean } = {}): DecodedJpegFrame {
  const header = requireFrameHeader(bytes, fileName);
  if (header.sofMarker === 0xc3 || header.sofMarker === 0xf7) {
    throw new PixelDecodeError(fileName, 'JPEG is lossless/JPEG-LS; it is only supported inside DICOM files');
  }
  if (header.precision > 8) {
    return withFileErrors(fileName, `${header.precision}-bit JPEG is corrupt`, () => decodeExtendedJpeg(bytes));
  }
  const decoded = withFileErrors(fileName, 'JPEG is corrupt', () =>
    jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      // Tolerant mode silently returns half-grey images for truncated files.
      tolerantDecoding: false,
      ...(options.colorTransform === undefined ? {} : { colorTransform: options.colorTransform }),
    }),
  );
  const rgb = decoded.data as Uint8Array;
  if (header.components !== 1) return { width: decoded.width, height: decoded.height, channels: 3, precision: 8, data: rgb };
  // jpeg-js always returns three samples per pixel; a grey JPEG keeps one.
  const grey = new Uint8Array(decoded.width * decoded.height);
  for (let pixel = 0; pixel < grey.length; pixel++) grey[pixel] = rgb[pixel * 3] as number;
  return { width: decoded.width, height: decoded.height, channels: 1, precision: 8, data: grey };
}

export function decodeJpegFile(bytes: Uint8Array, fileName: string): DecodedImage[] {
  const frame = decodeDctJpeg(bytes, fileName);
  const data: PixelArray = frame.data;
  return [
    {
      width: frame.width,
      height: frame.height,
      channels: frame.channels,
      bitDepth: frame.precision,
      data,
      photometric: frame.channels === 1 ? 'MONOCHROME2' : 'RGB',
      frameIndex: 0,
      metadata: {},
    },
  ];
}
