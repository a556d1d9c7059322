/**
 * The value transforms between stored samples and what is trained on or
 * shown: modality rescale (and the array type it picks), display windows
 * (requested, stored, data range) and 8-bit windowing with MONOCHROME1,
 * sub-byte unpacking with padded rows, palette lookup.
 */
import { describe, expect, it } from 'vitest';
import type { DecodedImage, PixelArray } from '../../../main/imaging/decodedImage';
import { chooseDisplayWindow, windowTo8Bit } from '../../../main/imaging/displayWindow';
import { applyRescale, expandPalette, sampleRange, unpackSubByteSamples } from '../../../main/imaging/pixelValues';

const grey = (data: PixelArray, metadata?: DecodedImage['metadata'], photometric = 'MONOCHROME2'): DecodedImage => ({ width: data.length, height: 1, channels: 1, bitDepth: 16, data, photometric, metadata });

describe('sampleRange', () => {
  it('finds min and max wherever they are, ignores NaN, and is [0, 0] when empty', () => {
    expect(sampleRange([5, -3, 9, 2])).toEqual([-3, 9]);
    expect(sampleRange([4])).toEqual([4, 4]);
    expect(sampleRange([NaN, 2, NaN, -1])).toEqual([-1, 2]);
    expect(sampleRange([])).toEqual([0, 0]);
    expect(sampleRange([NaN])).toEqual([0, 0]);
  });
});

describe('applyRescale picks the narrowest exact array', () => {
  it('identity returns the same array', () => {
    const data = new Uint16Array([1, 2]);
    expect(applyRescale(data, 1, 0)).toBe(data);
  });

  it('integers stay integers: Uint8 when 8-bit input stays in 0..255, else Uint16, Int16, then Float32', () => {
    const u8 = applyRescale(new Uint8Array([0, 100, 120]), 2, 10);
    expect(u8).toBeInstanceOf(Uint8Array);
    expect(Array.from(u8)).toEqual([10, 210, 250]);
    const over = applyRescale(new Uint8Array([0, 100, 123]), 2, 10);
    expect(over).toBeInstanceOf(Uint16Array);
    expect(Array.from(over)).toEqual([10, 210, 256]);
    expect(applyRescale(new Uint16Array([0, 30000]), 2, 5)).toBeInstanceOf(Uint16Array);
    expect(Array.from(applyRescale(new Uint16Array([0, 30000]), 2, 5))).toEqual([5, 60005]);
    expect(applyRescale(new Uint16Array([0, 32767]), 2, 2)).toBeInstanceOf(Float32Array); // 65536 fits neither
    const hu = applyRescale(new Uint16Array([0, 1024, 4095]), 1, -1024);
    expect(hu).toBeInstanceOf(Int16Array);
    expect(Array.from(hu)).toEqual([-1024, 0, 3071]);
    // exactly at the Int16 edges
    expect(applyRescale(new Uint16Array([0, 65535]), 1, -32768)).toBeInstanceOf(Int16Array);
    expect(applyRescale(new Uint16Array([0, 65535]), 1, -32769)).toBeInstanceOf(Float32Array);
    expect(applyRescale(new Uint16Array([1, 65535]), 1, -1)).toBeInstanceOf(Uint16Array);
    // a Uint16 input is never narrowed to Uint8
    expect(applyRescale(new Uint16Array([1, 2]), 1, 3)).toBeInstanceOf(Uint16Array);
    // the type follows both rescaled ends: 20 x 2 - 30 = 10 stays unsigned
    expect(applyRescale(new Uint16Array([20, 100]), 2, -30)).toBeInstanceOf(Uint16Array);
    // 8-bit input stays 8-bit only when no value goes negative or fractional
    expect(applyRescale(new Uint8Array([10, 20]), 1, -10)).toBeInstanceOf(Uint8Array);
    expect(Array.from(applyRescale(new Uint8Array([10, 20]), 1, -15))).toEqual([-5, 5]);
    expect(applyRescale(new Uint8Array([10, 20]), 1, -15)).toBeInstanceOf(Int16Array);
    expect(Array.from(applyRescale(new Uint8Array([1, 3]), 0.5, 0))).toEqual([0.5, 1.5]);
    // exactly at the Uint16 top, and one past it
    expect(applyRescale(new Uint16Array([0, 65534]), 1, 1)).toBeInstanceOf(Uint16Array);
  });

  it('negative slopes use both ends; fractional factors or float input give Float32', () => {
    const flipped = applyRescale(new Uint16Array([0, 100]), -1, 50);
    expect(flipped).toBeInstanceOf(Int16Array);
    expect(Array.from(flipped)).toEqual([50, -50]);
    const down = applyRescale(new Uint8Array([0, 200]), -1, 255);
    expect(down).toBeInstanceOf(Uint8Array);
    expect(Array.from(down)).toEqual([255, 55]);
    expect(Array.from(applyRescale(new Uint16Array([3, 5]), 0.5, 0))).toEqual([1.5, 2.5]);
    expect(applyRescale(new Uint16Array([3, 5]), 1, 0.5)).toBeInstanceOf(Float32Array);
    expect(applyRescale(new Float32Array([3, 5]), 2, 1)).toBeInstanceOf(Float32Array);
    expect(Array.from(applyRescale(new Int16Array([-5, 5]), 3, 0))).toEqual([-15, 15]);
  });
});

describe('display window', () => {
  const image = grey(new Int16Array([-1000, 0, 400, 3000]), { windowCenter: 40, windowWidth: 400 });

  it('takes the request, else the stored window, else the data range', () => {
    expect(chooseDisplayWindow(image, { windowCenter: -600, windowWidth: 1500 })).toEqual({ center: -600, width: 1500 });
    expect(chooseDisplayWindow(image)).toEqual({ center: 40, width: 400 });
    expect(chooseDisplayWindow(grey(new Int16Array([-1000, 0, 3000])))).toEqual({ center: 1000, width: 4000 });
  });

  it('ignores half a request, a non-positive or non-finite width and a non-finite centre', () => {
    expect(chooseDisplayWindow(image, { windowCenter: -600 })).toEqual({ center: 40, width: 400 });
    expect(chooseDisplayWindow(image, { windowWidth: 1500 })).toEqual({ center: 40, width: 400 });
    expect(chooseDisplayWindow(image, { windowCenter: 0, windowWidth: 0 })).toEqual({ center: 40, width: 400 });
    expect(chooseDisplayWindow(image, { windowCenter: 0, windowWidth: -5 })).toEqual({ center: 40, width: 400 });
    expect(chooseDisplayWindow(image, { windowCenter: NaN, windowWidth: 10 })).toEqual({ center: 40, width: 400 });
    expect(chooseDisplayWindow(image, { windowCenter: 0, windowWidth: Infinity })).toEqual({ center: 40, width: 400 });
    // a centre of 0 is a real centre
    expect(chooseDisplayWindow(image, { windowCenter: 0, windowWidth: 10 })).toEqual({ center: 0, width: 10 });
    const badStored = grey(new Int16Array([0, 10]), { windowCenter: Infinity, windowWidth: 400 });
    expect(chooseDisplayWindow(badStored)).toEqual({ center: 5, width: 10 });
    const zeroWidth = grey(new Int16Array([0, 10]), { windowCenter: 3, windowWidth: 0 });
    expect(chooseDisplayWindow(zeroWidth)).toEqual({ center: 5, width: 10 });
    const textStored = grey(new Int16Array([0, 10]), { windowCenter: '3', windowWidth: 4 });
    expect(chooseDisplayWindow(textStored)).toEqual({ center: 5, width: 10 });
  });

  it('maps centre +- width / 2 to 0..255, clamps outside, rounds inside', () => {
    const data = new Int16Array([-200, -160, 0, 40, 41, 240, 500]);
    // window 40 / 400: low -160, 255 / 400 per unit
    expect(Array.from(windowTo8Bit(grey(data), { center: 40, width: 400 }))).toEqual([0, 0, Math.round(160 * 0.6375), Math.round(200 * 0.6375), Math.round(201 * 0.6375), 255, 255]);
  });

  it('MONOCHROME1 inverts after windowing; a zero width is a threshold at the centre', () => {
    const data = new Int16Array([-200, 40, 500]);
    expect(Array.from(windowTo8Bit(grey(data, undefined, 'MONOCHROME1'), { center: 40, width: 400 }))).toEqual([255, 255 - Math.round(200 * 0.6375), 0]);
    expect(Array.from(windowTo8Bit(grey(new Int16Array([9, 10, 11])), { center: 10, width: 0 }))).toEqual([0, 0, 255]);
  });
});

describe('sub-byte samples and palettes', () => {
  it('unpacks 1-, 2- and 4-bit samples MSB first with rows padded to whole bytes', () => {
    // width 3, 1 bit: row bytes 0b101xxxxx, 0b011xxxxx
    expect(Array.from(unpackSubByteSamples(Uint8Array.from([0b10111111, 0b01100000]), 3, 2, 1, 1))).toEqual([1, 0, 1, 0, 1, 1]);
    // width 3, 2 bits: 6 bits used per row, 1 byte per row
    expect(Array.from(unpackSubByteSamples(Uint8Array.from([0b11100100, 0b00011011]), 3, 2, 2, 1))).toEqual([3, 2, 1, 0, 1, 2]);
    // width 3, 4 bits: 12 bits per row, 2 bytes per row (the last nibble is padding)
    expect(Array.from(unpackSubByteSamples(Uint8Array.from([0x12, 0x3f, 0xab, 0xcf]), 3, 2, 4, 1))).toEqual([1, 2, 3, 10, 11, 12]);
    // two channels of 4 bits: samples per row = width x channels
    expect(Array.from(unpackSubByteSamples(Uint8Array.from([0x12, 0x34]), 2, 1, 4, 2))).toEqual([1, 2, 3, 4]);
    // short input reads as zeros instead of failing
    expect(Array.from(unpackSubByteSamples(Uint8Array.from([0xff]), 2, 2, 4, 1))).toEqual([15, 15, 0, 0]);
  });

  it('looks indices up into RGB or RGBA; missing entries are black, missing alpha opaque', () => {
    const palette = [
      [10, 20, 30],
      [40, 50, 60, 70],
    ];
    expect(Array.from(expandPalette([1, 0, 5], palette, 3))).toEqual([40, 50, 60, 10, 20, 30, 0, 0, 0]);
    expect(Array.from(expandPalette([1, 0, 5], palette, 4))).toEqual([40, 50, 60, 70, 10, 20, 30, 255, 0, 0, 0, 255]);
  });
});
