import { decode, type TiffIfd } from 'tiff';
import type { DecodedImage, PixelArray } from './decodedImage';
import { plainHeader, type ImageHeader } from './imageHeader';
import { PixelDecodeError, withFileErrors } from './pixelDecodeError';
import { expandPalette } from './pixelValues';

/** TIFF PhotometricInterpretation 3: samples are colour-map indices. */
const tiffPaletteType = 3;
/** TIFF SampleFormat 2: two's-complement signed integers. */
const tiffSignedSampleFormat = 2;

function decodeIfds(bytes: Uint8Array, fileName: string, ignoreImageData: boolean): TiffIfd[] {
  const ifds = withFileErrors(fileName, 'TIFF cannot be decoded', () => decode(bytes, { ignoreImageData }));
  if (ifds.length === 0) throw new PixelDecodeError(fileName, 'TIFF has no image directories');
  return ifds;
}

function photometricOf(ifd: TiffIfd): string {
  if (ifd.type === tiffPaletteType) return 'RGB';
  if (ifd.samplesPerPixel >= 4) return 'RGBA';
  if (ifd.samplesPerPixel === 3) return 'RGB';
  // The tiff package already flips WhiteIsZero data, so every grey page reads as MONOCHROME2.
  return 'MONOCHROME2';
}

export function readTiffHeader(bytes: Uint8Array, fileName: string): ImageHeader {
  const ifds = decodeIfds(bytes, fileName, true);
  const first = ifds[0] as TiffIfd;
  const palette = first.type === tiffPaletteType;
  return plainHeader('tiff', {
    width: first.width,
    height: first.height,
    channels: palette ? 3 : first.samplesPerPixel,
    bitDepth: palette ? 16 : first.bitsPerSample,
    frames: ifds.length,
    photometric: photometricOf(first),
  });
}

/** The page's samples in a PixelArray type, keeping 8/16-bit depth and sign. */
function pagePixels(ifd: TiffIfd, fileName: string, pageIndex: number): PixelArray {
  const data = ifd.data;
  if (data instanceof Uint16Array && ifd.sampleFormat === tiffSignedSampleFormat) {
    return new Int16Array(data.buffer, data.byteOffset, data.length);
  }
  if (data instanceof Uint8Array || data instanceof Uint16Array || data instanceof Float32Array) return data;
  if (data instanceof Float64Array) return Float32Array.from(data);
  throw new PixelDecodeError(fileName, `TIFF page ${pageIndex} has an unsupported sample type`);
}

/** Page palette as 16-bit RGB triples scaled to 8 bits (TIFF colour maps are 16-bit). */
function paletteTo8Bit(palette: Array<[number, number, number]>): number[][] {
  return palette.map((colour) => colour.map((component) => component >> 8));
}

/** One image per page (multi-page TIFF stacks become frames). */
export function decodeTiffFile(bytes: Uint8Array, fileName: string): DecodedImage[] {
  const ifds = decodeIfds(bytes, fileName, false);
  return ifds.map((ifd, pageIndex): DecodedImage => {
    const expected = ifd.width * ifd.height * ifd.samplesPerPixel;
    if (ifd.data.length < expected) throw new PixelDecodeError(fileName, `TIFF page ${pageIndex} is truncated (${ifd.data.length} of ${expected} samples)`);
    const palette = ifd.type === tiffPaletteType ? ifd.palette : undefined;
    if (palette) {
      return {
        width: ifd.width,
        height: ifd.height,
        channels: 3,
        bitDepth: 8,
        data: expandPalette(ifd.data, paletteTo8Bit(palette), 3),
        photometric: 'RGB',
        frameIndex: pageIndex,
        metadata: { paletteSize: palette.length },
      };
    }
    const channels = Math.min(ifd.samplesPerPixel, 4) as DecodedImage['channels'];
    if (ifd.samplesPerPixel > 4) throw new PixelDecodeError(fileName, `TIFF page ${pageIndex} has ${ifd.samplesPerPixel} samples per pixel (at most 4 supported)`);
    return {
      width: ifd.width,
      height: ifd.height,
      channels,
      bitDepth: ifd.bitsPerSample,
      data: pagePixels(ifd, fileName, pageIndex),
      photometric: photometricOf(ifd),
      frameIndex: pageIndex,
      metadata: {},
    };
  });
}
