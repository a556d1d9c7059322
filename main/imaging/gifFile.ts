import { GifReader } from 'omggif';
import type { DecodedImage } from './decodedImage';
import { plainHeader, type ImageHeader } from './imageHeader';
import { PixelDecodeError, withFileErrors } from './pixelDecodeError';

function openGif(bytes: Uint8Array, fileName: string): GifReader {
  const reader = withFileErrors(fileName, 'GIF is corrupt', () => new GifReader(bytes));
  if (reader.numFrames() === 0) throw new PixelDecodeError(fileName, 'GIF has no image frames');
  return reader;
}

export function readGifHeader(bytes: Uint8Array, fileName: string): ImageHeader {
  const reader = openGif(bytes, fileName);
  return plainHeader('gif', { width: reader.width, height: reader.height, channels: 4, bitDepth: 8, frames: reader.numFrames(), photometric: 'RGBA' });
}

/**
 * One RGBA image per frame, each composited onto the previous as a viewer
 * shows it (GIF frames may cover only part of the canvas).
 */
export function decodeGifFile(bytes: Uint8Array, fileName: string): DecodedImage[] {
  const reader = openGif(bytes, fileName);
  const canvas = new Uint8Array(reader.width * reader.height * 4);
  const images: DecodedImage[] = [];
  for (let frameIndex = 0; frameIndex < reader.numFrames(); frameIndex++) {
    const info = reader.frameInfo(frameIndex);
    if (info.data_offset + info.data_length > bytes.length) {
      throw new PixelDecodeError(fileName, `GIF frame ${frameIndex} is truncated`);
    }
    withFileErrors(fileName, `GIF frame ${frameIndex} is corrupt`, () => reader.decodeAndBlitFrameRGBA(frameIndex, canvas));
    images.push({
      width: reader.width,
      height: reader.height,
      channels: 4,
      bitDepth: 8,
      data: canvas.slice(),
      photometric: 'RGBA',
      frameIndex,
      metadata: { transparentIndex: info.transparent_index },
    });
  }
  return images;
}
