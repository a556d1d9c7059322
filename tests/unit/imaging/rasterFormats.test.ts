import { encode as encodePngBytes } from 'fast-png';
import jpeg from 'jpeg-js';
import { GifWriter } from 'omggif';
import { describe, expect, it } from 'vitest';
import { decodeImageBytes, readImageHeader } from '../../../main/imaging/decodeImageFile';
import { PixelDecodeError } from '../../../main/imaging/pixelDecodeError';
import { patternSamples, writeBmp, writeTiff } from '../../fixtures/pixels/rasterWriters';

async function decodeOne(bytes: Uint8Array, name: string) {
  const images = await decodeImageBytes(bytes, name);
  expect(images).toHaveLength(1);
  return images[0]!;
}

/** Offset of the first IDAT chunk's length field. */
function idatOffset(png: Uint8Array): number {
  return new TextDecoder('latin1').decode(png).indexOf('IDAT') - 4;
}

/** Flips one byte inside the first IDAT chunk's data, leaving its CRC stale. */
function corruptIdatData(png: Uint8Array): Uint8Array {
  const copy = png.slice();
  copy[idatOffset(png) + 10] = (copy[idatOffset(png) + 10] as number) ^ 0x55;
  return copy;
}

/** Damages only the stored CRC of IDAT: the image data itself would still inflate fine. */
function corruptIdatCrc(png: Uint8Array): Uint8Array {
  const copy = png.slice();
  const at = idatOffset(png);
  const length = new DataView(copy.buffer).getUint32(at);
  copy[at + 8 + length] = (copy[at + 8 + length] as number) ^ 0xff;
  return copy;
}

describe('PNG', () => {
  it('keeps 16-bit grey samples exactly and reads the header without decoding', async () => {
    const samples = Uint16Array.from(patternSamples(37, 23, 1, 65535));
    const png = encodePngBytes({ width: 37, height: 23, channels: 1, depth: 16, data: samples });
    const image = await decodeOne(png, 'grey16.png');
    expect(image.data).toBeInstanceOf(Uint16Array);
    expect(Array.from(image.data)).toEqual(Array.from(samples));
    expect(image).toMatchObject({ width: 37, height: 23, channels: 1, bitDepth: 16, photometric: 'MONOCHROME2' });
    expect(readImageHeader(png, 'grey16.png')).toMatchObject({ format: 'png', width: 37, height: 23, channels: 1, bitDepth: 16, frames: 1 });
  });

  it('decodes 8-bit RGB and expands palettes to colours', async () => {
    const rgb = Uint8Array.from(patternSamples(8, 5, 3, 255));
    const image = await decodeOne(encodePngBytes({ width: 8, height: 5, channels: 3, depth: 8, data: rgb }), 'rgb.png');
    expect(Array.from(image.data)).toEqual(Array.from(rgb));
    const palette = [
      [10, 20, 30],
      [200, 100, 50],
    ];
    const indexed = encodePngBytes({ width: 2, height: 1, channels: 1, depth: 8, data: new Uint8Array([1, 0]), palette });
    const expanded = await decodeOne(indexed, 'palette.png');
    expect(expanded.channels).toBe(3);
    expect(Array.from(expanded.data)).toEqual([200, 100, 50, 10, 20, 30]);
  });

  it('unpacks 1-bit grey', async () => {
    // 10 pixels at 1 bit: 0b10110000 0b01000000 (row padded to whole bytes)
    const png = encodePngBytes({ width: 10, height: 1, channels: 1, depth: 1, data: new Uint8Array([0b10110000, 0b01000000]) });
    const image = await decodeOne(png, 'bits.png');
    expect(Array.from(image.data)).toEqual([1, 0, 1, 1, 0, 0, 0, 0, 0, 1]);
    expect(image.bitDepth).toBe(1);
  });

  it('rejects a broken CRC and a truncated file with the file name in the message', async () => {
    const png = encodePngBytes({ width: 16, height: 16, channels: 1, depth: 8, data: Uint8Array.from(patternSamples(16, 16, 1, 255)) });
    await expect(decodeImageBytes(corruptIdatCrc(png), 'broken-crc.png')).rejects.toThrow(/^broken-crc\.png: PNG chunk IDAT .* fails its CRC check/);
    await expect(decodeImageBytes(corruptIdatData(png), 'flipped.png')).rejects.toThrow(/^flipped\.png: PNG chunk IDAT .* fails its CRC check/);
    await expect(decodeImageBytes(corruptIdatCrc(png), 'broken-crc.png')).rejects.toBeInstanceOf(PixelDecodeError);
    await expect(decodeImageBytes(png.subarray(0, png.length - 30), 'cut.png')).rejects.toThrow(/^cut\.png: PNG is truncated/);
    expect(() => readImageHeader(png.subarray(0, 20), 'tiny.png')).toThrow(/tiny\.png: PNG is truncated/);
  });
});

describe('JPEG', () => {
  it('decodes a colour JPEG within lossy tolerance and reads its SOF header', async () => {
    const width = 32;
    const height = 24;
    const rgba = new Uint8Array(width * height * 4);
    const rgb = patternSamples(width, height, 3, 255);
    for (let pixel = 0; pixel < width * height; pixel++) {
      rgba.set([rgb[pixel * 3]!, rgb[pixel * 3 + 1]!, rgb[pixel * 3 + 2]!, 255], pixel * 4);
    }
    const encoded = new Uint8Array(jpeg.encode({ width, height, data: rgba }, 95).data);
    const image = await decodeOne(encoded, 'photo.jpg');
    expect(image).toMatchObject({ width, height, channels: 3, bitDepth: 8, photometric: 'RGB' });
    let error = 0;
    for (let index = 0; index < rgb.length; index++) error += Math.abs(image.data[index]! - rgb[index]!);
    expect(error / rgb.length).toBeLessThan(8);
    expect(readImageHeader(encoded, 'photo.jpg')).toMatchObject({ format: 'jpeg', width, height, channels: 3, bitDepth: 8 });
  });

  it('reports a truncated JPEG instead of returning a half-grey image', async () => {
    const rgba = new Uint8Array(64 * 64 * 4).fill(128);
    const encoded = new Uint8Array(jpeg.encode({ width: 64, height: 64, data: rgba }, 90).data);
    await expect(decodeImageBytes(encoded.subarray(0, 200), 'cut.jpg')).rejects.toThrow(/cut\.jpg: /);
  });
});

describe('GIF', () => {
  it('decodes every frame of an animated GIF', async () => {
    const buffer = new Uint8Array(4096);
    const writer = new GifWriter(buffer, 4, 3, { palette: [0x000000, 0xff0000, 0x00ff00, 0x0000ff], loop: 0 });
    writer.addFrame(0, 0, 4, 3, [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3]);
    writer.addFrame(0, 0, 4, 3, [3, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1]);
    const gif = buffer.slice(0, writer.end());
    const images = await decodeImageBytes(gif, 'anim.gif');
    expect(images).toHaveLength(2);
    expect(Array.from(images[0]!.data.slice(4, 8))).toEqual([255, 0, 0, 255]);
    expect(Array.from(images[1]!.data.slice(0, 4))).toEqual([0, 0, 255, 255]);
    expect(readImageHeader(gif, 'anim.gif')).toMatchObject({ width: 4, height: 3, frames: 2 });
  });
});

describe('BMP', () => {
  it('decodes 24-bit BMP to RGB in the right channel order', async () => {
    const rgb = patternSamples(5, 3, 3, 255);
    const image = await decodeOne(writeBmp(5, 3, rgb), 'scan.bmp');
    expect(image).toMatchObject({ width: 5, height: 3, channels: 3, photometric: 'RGB' });
    expect(Array.from(image.data)).toEqual(rgb);
  });

  it('rejects a BMP whose pixel rows are cut off', async () => {
    const bmp = writeBmp(20, 20, patternSamples(20, 20, 3, 255));
    await expect(decodeImageBytes(bmp.subarray(0, 300), 'cut.bmp')).rejects.toThrow(/cut\.bmp: BMP pixel data is truncated/);
  });
});

describe('TIFF', () => {
  it('keeps 16-bit pages, signed samples and page order in a multi-page file', async () => {
    const first = patternSamples(6, 4, 1, 65535);
    const second = patternSamples(6, 4, 1, 4000, 99).map((value) => value - 2000);
    const tiff = writeTiff([
      { width: 6, height: 4, bitsPerSample: 16, samplesPerPixel: 1, samples: first },
      { width: 6, height: 4, bitsPerSample: 16, samplesPerPixel: 1, samples: second, sampleFormat: 2 },
      { width: 6, height: 4, bitsPerSample: 8, samplesPerPixel: 3, samples: patternSamples(6, 4, 3, 255) },
    ]);
    const pages = await decodeImageBytes(tiff, 'stack.tif');
    expect(pages.map((page) => page.frameIndex)).toEqual([0, 1, 2]);
    expect(pages[0]!.data).toBeInstanceOf(Uint16Array);
    expect(Array.from(pages[0]!.data)).toEqual(first);
    expect(pages[1]!.data).toBeInstanceOf(Int16Array);
    expect(Array.from(pages[1]!.data)).toEqual(second);
    expect(pages[2]).toMatchObject({ channels: 3, bitDepth: 8, photometric: 'RGB' });
    expect(readImageHeader(tiff, 'stack.tif')).toMatchObject({ format: 'tiff', width: 6, height: 4, bitDepth: 16, frames: 3 });
  });

  it('rejects a TIFF cut short, whether the cut hits the directory or the strip', async () => {
    const tiff = writeTiff([{ width: 32, height: 32, bitsPerSample: 16, samplesPerPixel: 1, samples: patternSamples(32, 32, 1, 1000) }]);
    await expect(decodeImageBytes(tiff.subarray(0, tiff.length - 40), 'cut.tif')).rejects.toThrow(/^cut\.tif: /);
    // Move the directory in front of a shortened strip: the strip now ends past the file's end.
    const view = new DataView(tiff.buffer);
    const ifdOffset = view.getUint32(4, true);
    const directory = tiff.slice(ifdOffset);
    const reordered = new Uint8Array(8 + directory.length + 100);
    reordered.set(tiff.subarray(0, 8));
    reordered.set(directory, 8);
    reordered.set(tiff.subarray(8, 108), 8 + directory.length);
    const reorderedView = new DataView(reordered.buffer);
    reorderedView.setUint32(4, 8, true);
    const entries = reorderedView.getUint16(8, true);
    for (let entry = 0; entry < entries; entry++) {
      const at = 8 + 2 + entry * 12;
      if (reorderedView.getUint16(at, true) === 273) reorderedView.setUint32(at + 8, 8 + directory.length, true);
    }
    await expect(decodeImageBytes(reordered, 'short-strip.tif')).rejects.toThrow(/^short-strip\.tif: /);
  });
});

describe('unknown input', () => {
  it('names the file for empty and unrecognised bytes', async () => {
    await expect(decodeImageBytes(new Uint8Array(0), 'empty.png')).rejects.toThrow('empty.png: file is empty');
    await expect(decodeImageBytes(new TextEncoder().encode('hello'), 'notes.txt')).rejects.toThrow(/notes\.txt: not a recognised image format/);
  });
});

describe('PNG chunk CRC', () => {
  it('matches the CRC-32 check value for "123456789"', async () => {
    const { pngCrc32 } = await import('../../../main/imaging/pngChunks');
    expect(pngCrc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});
