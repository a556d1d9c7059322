import { encode as encodePngBytes } from 'fast-png';
import { GifWriter } from 'omggif';
import { describe, expect, it } from 'vitest';
import { readMaskPixels } from '../../../main/imaging/maskPixels';
import { writeTiff } from '../../fixtures/pixels/rasterWriters';

describe('readMaskPixels', () => {
  it('returns palette indices, not colours, for palette PNGs', () => {
    const palette = [
      [0, 0, 0],
      [255, 0, 0],
      [0, 0, 255],
    ];
    const png = encodePngBytes({ width: 3, height: 2, channels: 1, depth: 8, data: new Uint8Array([0, 1, 2, 2, 1, 0]), palette });
    expect(readMaskPixels(png, 'labels.png')).toEqual({ width: 3, height: 2, data: new Uint8Array([0, 1, 2, 2, 1, 0]) });
  });

  it('unpacks 2-bit palette PNGs', () => {
    const palette = [
      [0, 0, 0],
      [9, 9, 9],
      [200, 0, 0],
      [0, 200, 0],
    ];
    // 5 indices at 2 bits: 3,2,1,0 | 3 -> 0b11100100 0b11000000
    const png = encodePngBytes({ width: 5, height: 1, channels: 1, depth: 2, data: new Uint8Array([0b11100100, 0b11000000]), palette });
    expect(Array.from(readMaskPixels(png, 'small.png').data)).toEqual([3, 2, 1, 0, 3]);
  });

  it('keeps 16-bit grey class values and accepts grey RGB', () => {
    const png16 = encodePngBytes({ width: 2, height: 1, channels: 1, depth: 16, data: new Uint16Array([300, 65000]) });
    const mask16 = readMaskPixels(png16, 'instances.png');
    expect(mask16.data).toBeInstanceOf(Uint16Array);
    expect(Array.from(mask16.data)).toEqual([300, 65000]);
    const greyRgb = encodePngBytes({ width: 2, height: 1, channels: 3, depth: 8, data: new Uint8Array([4, 4, 4, 7, 7, 7]) });
    expect(Array.from(readMaskPixels(greyRgb, 'grey-rgb.png').data)).toEqual([4, 7]);
  });

  it('rejects colour masks with a message that says what to do', () => {
    const colour = encodePngBytes({ width: 1, height: 1, channels: 3, depth: 8, data: new Uint8Array([255, 0, 0]) });
    expect(() => readMaskPixels(colour, 'colour.png')).toThrow(/^colour\.png: mask is a colour image/);
  });

  it('maps GIF colours back to palette indices (a repeated colour maps to its first entry)', () => {
    const buffer = new Uint8Array(1024);
    const writer = new GifWriter(buffer, 4, 1, { palette: [0x000000, 0xff0000, 0x00ff00, 0xff0000] });
    writer.addFrame(0, 0, 4, 1, [2, 1, 0, 2]);
    const gif = buffer.slice(0, writer.end());
    expect(Array.from(readMaskPixels(gif, 'mask.gif').data)).toEqual([2, 1, 0, 2]);
  });

  it('reads 8- and 16-bit TIFF masks and palette TIFFs by index', () => {
    const tiff16 = writeTiff([{ width: 3, height: 1, bitsPerSample: 16, samplesPerPixel: 1, samples: [0, 5, 1000] }]);
    expect(Array.from(readMaskPixels(tiff16, 'mask.tif').data)).toEqual([0, 5, 1000]);
    const colorMap = new Array<number>(3 * 256).fill(0);
    colorMap[1] = 65535; // index 1 is red
    const paletteTiff = writeTiff([{ width: 3, height: 1, bitsPerSample: 8, samplesPerPixel: 1, samples: [1, 0, 1], colorMap }]);
    expect(Array.from(readMaskPixels(paletteTiff, 'palette.tif').data)).toEqual([1, 0, 1]);
    const twoPages = writeTiff([
      { width: 1, height: 1, bitsPerSample: 8, samplesPerPixel: 1, samples: [1] },
      { width: 1, height: 1, bitsPerSample: 8, samplesPerPixel: 1, samples: [2] },
    ]);
    expect(() => readMaskPixels(twoPages, 'stack.tif')).toThrow(/stack\.tif: TIFF mask has 2 pages/);
  });

  it('refuses non-mask formats by name', () => {
    expect(() => readMaskPixels(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]), 'mask.jpg')).toThrow('mask.jpg: masks must be PNG, TIFF or GIF, not jpeg');
  });
});
