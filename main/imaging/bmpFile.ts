import bmp from 'bmp-js';
import type { DecodedImage } from './decodedImage';
import { plainHeader, type ImageHeader } from './imageHeader';
import { PixelDecodeError, withFileErrors } from './pixelDecodeError';

interface BmpHeaderFields {
  pixelOffset: number;
  width: number;
  height: number;
  bitsPerPixel: number;
  /** 0 BI_RGB, 1/2 run-length encoded, 3 bit fields */
  compression: number;
}

function readBmpHeaderFields(bytes: Uint8Array, fileName: string): BmpHeaderFields {
  if (bytes.length < 30) throw new PixelDecodeError(fileName, 'BMP is truncated inside its header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const infoSize = view.getUint32(14, true);
  // The old OS/2 header stores 16-bit sizes.
  const width = infoSize === 12 ? view.getUint16(18, true) : view.getInt32(18, true);
  const height = infoSize === 12 ? view.getInt16(20, true) : view.getInt32(22, true);
  const bitsPerPixel = view.getUint16(infoSize === 12 ? 24 : 28, true);
  const compression = infoSize >= 40 && bytes.length >= 34 ? view.getUint32(30, true) : 0;
  return { pixelOffset: view.getUint32(10, true), width, height: Math.abs(height), bitsPerPixel, compression };
}

export function readBmpHeader(bytes: Uint8Array, fileName: string): ImageHeader {
  const fields = readBmpHeaderFields(bytes, fileName);
  const withAlpha = fields.bitsPerPixel === 32;
  return plainHeader('bmp', {
    width: fields.width,
    height: fields.height,
    channels: withAlpha ? 4 : 3,
    bitDepth: 8,
    frames: 1,
    photometric: withAlpha ? 'RGBA' : 'RGB',
  });
}

/** RGB (or RGBA for 32-bit BMPs) from bmp-js's ABGR output. */
export function decodeBmpFile(bytes: Uint8Array, fileName: string): DecodedImage[] {
  const fields = readBmpHeaderFields(bytes, fileName);
  const rowBytes = Math.ceil((fields.width * fields.bitsPerPixel) / 32) * 4;
  // bmp-js reads past the end without complaint; uncompressed BMPs have a known size.
  const uncompressed = fields.compression === 0 || fields.compression === 3;
  if (uncompressed && fields.pixelOffset + rowBytes * fields.height > bytes.length) {
    throw new PixelDecodeError(fileName, `BMP pixel data is truncated (${bytes.length} bytes, needs ${fields.pixelOffset + rowBytes * fields.height})`);
  }
  const decoded = withFileErrors(fileName, 'BMP is corrupt', () => bmp.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
  const withAlpha = fields.bitsPerPixel === 32 && decoded.is_with_alpha;
  const channels = withAlpha ? 4 : 3;
  const pixels = decoded.width * decoded.height;
  const data = new Uint8Array(pixels * channels);
  for (let pixel = 0; pixel < pixels; pixel++) {
    const source = pixel * 4;
    data[pixel * channels] = decoded.data[source + 3] as number;
    data[pixel * channels + 1] = decoded.data[source + 2] as number;
    data[pixel * channels + 2] = decoded.data[source + 1] as number;
    if (withAlpha) data[pixel * channels + 3] = decoded.data[source] as number;
  }
  return [{ width: decoded.width, height: decoded.height, channels, bitDepth: 8, data, photometric: withAlpha ? 'RGBA' : 'RGB', frameIndex: 0, metadata: {} }];
}
