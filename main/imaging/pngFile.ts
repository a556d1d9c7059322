import { decode } from 'fast-png';
import type { DecodedImage, PixelArray } from './decodedImage';
import { plainHeader, type ImageHeader } from './imageHeader';
import { PixelDecodeError, withFileErrors } from './pixelDecodeError';
import { verifyPngChunks } from './pngChunks';
import { pngRescaleInterceptKey, pngRescaleSlopeKey } from './pngIntensityText';
import { applyRescale, expandPalette, unpackSubByteSamples } from './pixelValues';

const channelsByColourType: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** IHDR fields, read straight from the first chunk. */
export function readPngHeader(bytes: Uint8Array, fileName: string): ImageHeader {
  if (bytes.length < 33) throw new PixelDecodeError(fileName, 'PNG is truncated before the end of its IHDR chunk');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunkType = String.fromCharCode(...bytes.subarray(12, 16));
  if (chunkType !== 'IHDR') throw new PixelDecodeError(fileName, `PNG starts with chunk ${chunkType}, expected IHDR`);
  const depth = bytes[24] as number;
  const colourType = bytes[25] as number;
  const storedChannels = channelsByColourType[colourType];
  if (storedChannels === undefined) throw new PixelDecodeError(fileName, `PNG has unknown colour type ${colourType}`);
  const hasPalette = colourType === 3;
  return plainHeader('png', {
    width: view.getUint32(16),
    height: view.getUint32(20),
    channels: hasPalette ? 3 : storedChannels,
    bitDepth: hasPalette ? 8 : depth,
    frames: 1,
    photometric: photometricFor(hasPalette ? 3 : storedChannels),
  });
}

function photometricFor(channels: number): string {
  return channels <= 2 ? 'MONOCHROME2' : channels === 3 ? 'RGB' : 'RGBA';
}

/** Decoded PNG before any palette expansion: palette PNGs keep their indices. */
export interface RawPng {
  width: number;
  height: number;
  channels: number;
  depth: number;
  data: Uint8Array | Uint16Array;
  palette: number[][] | undefined;
  text: Record<string, string>;
}

/** Decodes after checking every chunk CRC (fast-png skips them by default) and unpacks sub-byte depths. */
export function decodeRawPng(bytes: Uint8Array, fileName: string): RawPng {
  verifyPngChunks(bytes, fileName);
  const png = withFileErrors(fileName, 'PNG is corrupt', () => decode(bytes));
  const expectedSamples = png.width * png.height * png.channels;
  let data: Uint8Array | Uint16Array;
  if (png.depth < 8) data = unpackSubByteSamples(png.data as Uint8Array, png.width, png.height, png.depth, png.channels);
  else if (png.data instanceof Uint16Array) data = png.data;
  else data = new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length);
  // A short zlib stream can inflate "successfully" to too few rows.
  if (data.length < expectedSamples) throw new PixelDecodeError(fileName, `PNG image data is truncated (${data.length} of ${expectedSamples} samples)`);
  return { width: png.width, height: png.height, channels: png.channels, depth: png.depth, data, palette: png.palette, text: png.text };
}

export function decodePngFile(bytes: Uint8Array, fileName: string): DecodedImage[] {
  const png = decodeRawPng(bytes, fileName);
  let data: PixelArray = png.data;
  let channels = png.channels;
  let bitDepth = png.depth;
  const metadata: NonNullable<DecodedImage['metadata']> = {};
  if (png.palette) {
    const withAlpha = png.palette.some((colour) => colour.length > 3);
    channels = withAlpha ? 4 : 3;
    data = expandPalette(png.data, png.palette, channels as 3 | 4);
    bitDepth = 8;
    metadata.paletteSize = png.palette.length;
  }
  const slopeText = png.text[pngRescaleSlopeKey];
  const interceptText = png.text[pngRescaleInterceptKey];
  if (slopeText !== undefined || interceptText !== undefined) {
    const slope = Number(slopeText ?? 1);
    const intercept = Number(interceptText ?? 0);
    if (!Number.isFinite(slope) || !Number.isFinite(intercept)) {
      throw new PixelDecodeError(fileName, `PNG has an unreadable intensity map (${slopeText}, ${interceptText})`);
    }
    data = applyRescale(data, slope, intercept);
    metadata.rescaleSlope = slope;
    metadata.rescaleIntercept = intercept;
  }
  return [
    {
      width: png.width,
      height: png.height,
      channels: channels as DecodedImage['channels'],
      bitDepth,
      data,
      photometric: photometricFor(channels),
      frameIndex: 0,
      metadata,
    },
  ];
}
