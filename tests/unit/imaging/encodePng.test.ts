import { decode as decodePngBytes } from 'fast-png';
import { describe, expect, it } from 'vitest';
import type { DecodedImage } from '../../../main/imaging/decodedImage';
import { decodeImageBytes } from '../../../main/imaging/decodeImageFile';
import { encodePng, renderPreviewPng } from '../../../main/imaging/encodePng';

function grey(data: DecodedImage['data'], width: number, height: number, extra: Partial<DecodedImage> = {}): DecodedImage {
  return { width, height, channels: 1, bitDepth: 16, data, photometric: 'MONOCHROME2', ...extra };
}

describe('encodePng', () => {
  it('writes 16-bit data as 16-bit PNG and reads it back unchanged', async () => {
    const data = Uint16Array.from({ length: 60 }, (_, index) => index * 1000 + 7);
    const png = encodePng(grey(data, 10, 6));
    expect(decodePngBytes(png).depth).toBe(16);
    const back = (await decodeImageBytes(png, 'round.png'))[0]!;
    expect(back.data).toBeInstanceOf(Uint16Array);
    expect(Array.from(back.data)).toEqual(Array.from(data));
  });

  it('keeps 8-bit RGB at 8 bits', () => {
    const data = Uint8Array.from({ length: 2 * 2 * 3 }, (_, index) => index * 20);
    const decoded = decodePngBytes(encodePng({ width: 2, height: 2, channels: 3, bitDepth: 8, data, photometric: 'RGB' }));
    expect(decoded).toMatchObject({ depth: 8, channels: 3 });
    expect(Array.from(decoded.data)).toEqual(Array.from(data));
  });

  it('stores signed CT values exactly, with the shift written into the PNG', async () => {
    const hu = Int16Array.from([-1024, -1000, 0, 40, 3071, 12]);
    const back = (await decodeImageBytes(encodePng(grey(hu, 3, 2)), 'ct.png'))[0]!;
    expect(back.data).toBeInstanceOf(Int16Array);
    expect(Array.from(back.data)).toEqual(Array.from(hu));
    expect(back.metadata).toMatchObject({ rescaleSlope: 1, rescaleIntercept: -1024 });
  });

  it('quantises real values to 16 bits within one step', async () => {
    const values = Float32Array.from([0.001, 0.5, 2.25, 3.774, -1.5, 7.125]);
    const back = (await decodeImageBytes(encodePng(grey(values, 6, 1, { bitDepth: 32 })), 'float.png'))[0]!;
    const step = (7.125 + 1.5) / 65535;
    back.data.forEach((value, index) => expect(Math.abs(value - values[index]!)).toBeLessThanOrEqual(step));
  });
});

describe('renderPreviewPng', () => {
  const ramp = Int16Array.from({ length: 4 }, (_, index) => [-1000, 0, 40, 1000][index]!);

  it('windows with the DICOM window by default and inverts MONOCHROME1 after windowing', () => {
    const image = grey(ramp, 4, 1, { metadata: { windowCenter: 40, windowWidth: 80 } });
    const preview = decodePngBytes(renderPreviewPng(image, { maxSide: 64 }));
    expect(preview).toMatchObject({ width: 4, height: 1, depth: 8, channels: 1 });
    // window 0..80: -1000 and 0 are black, 40 mid-grey, 1000 white
    expect(Array.from(preview.data)).toEqual([0, 0, 128, 255]);
    const inverted = decodePngBytes(renderPreviewPng({ ...image, photometric: 'MONOCHROME1' }, { maxSide: 64 }));
    expect(Array.from(inverted.data)).toEqual([255, 255, 127, 0]);
  });

  it('falls back to min..max without a window, and honours an explicit one', () => {
    const stretched = decodePngBytes(renderPreviewPng(grey(ramp, 4, 1), { maxSide: 8 }));
    expect(Array.from(stretched.data)).toEqual([0, 128, 133, 255]);
    const explicit = decodePngBytes(renderPreviewPng(grey(ramp, 4, 1, { metadata: { windowCenter: 40, windowWidth: 80 } }), { maxSide: 8, windowCenter: 0, windowWidth: 2000 }));
    expect(Array.from(explicit.data)).toEqual([0, 128, 133, 255]);
  });

  it('downscales by area averaging to fit maxSide and drops alpha', () => {
    const width = 300;
    const height = 200;
    const rgba = new Uint8Array(width * height * 4);
    for (let pixel = 0; pixel < width * height; pixel++) rgba.set([pixel % width < 150 ? 0 : 255, 100, 50, 128], pixel * 4);
    const preview = decodePngBytes(renderPreviewPng({ width, height, channels: 4, bitDepth: 8, data: rgba, photometric: 'RGBA' }, { maxSide: 60 }));
    expect(preview).toMatchObject({ width: 60, height: 40, channels: 3, depth: 8 });
    expect(Array.from(preview.data.slice(0, 3))).toEqual([0, 100, 50]);
    expect(preview.data[(59 * 3) as number]).toBe(255);
  });

  it('keeps a flat image renderable', () => {
    const flat = decodePngBytes(renderPreviewPng(grey(new Uint16Array(16).fill(500), 4, 4), { maxSide: 4 }));
    expect(flat.data.every((value) => value === 0)).toBe(true);
  });
});
