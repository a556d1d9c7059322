import { describe, expect, it } from 'vitest';
import { boxToImage, boxToInput, letterbox, maskToImage, maskToInput, outsideImageClass } from '../../../shared/letterbox';

describe('letterbox geometry', () => {
  it('scales the long side to the input and centres the short one', () => {
    expect(letterbox(320, 240, 64)).toEqual({ width: 320, height: 240, size: 64, scale: 0.2, offsetX: 0, offsetY: 8, contentWidth: 64, contentHeight: 48 });
    expect(letterbox(240, 320, 64)).toMatchObject({ offsetX: 8, offsetY: 0, contentWidth: 48, contentHeight: 64 });
    expect(letterbox(512, 512, 64)).toMatchObject({ scale: 0.125, offsetX: 0, offsetY: 0, contentWidth: 64, contentHeight: 64 });
    // a thin strip keeps at least one row
    expect(letterbox(1000, 1, 32)).toMatchObject({ contentHeight: 1, offsetY: 15 });
    expect(() => letterbox(0, 10, 64)).toThrow(/0x10 into 64 px/);
  });

  it('maps boxes forward and back exactly, clipping what reaches into the padding', () => {
    const g = letterbox(640, 480, 64);
    const box = { x: 100, y: 50, w: 200, h: 120, classId: 2, score: 0.7 };
    const atInput = boxToInput(box, g);
    expect(atInput).toEqual({ x: 10, y: 13, w: 20, h: 12, classId: 2, score: 0.7 });
    expect(boxToImage(atInput, g)).toEqual(box);
    // a predicted box over the top border ends at the image's edge
    expect(boxToImage({ x: 0, y: 2, w: 8, h: 10 }, g)).toEqual({ x: 0, y: 0, w: 80, h: 40 });
  });

  it('maps masks forward with outside pixels marked, and back without reading the padding', () => {
    const g = letterbox(8, 4, 32); // scale 4, content 32 x 16, 8 rows of padding each side
    const mask = Uint8Array.from({ length: 32 }, (_, i) => i % 8); // each column its own class
    const input = maskToInput(mask, g);
    expect(input[0]).toBe(outsideImageClass);
    expect(input[7 * 32 + 5]).toBe(outsideImageClass);
    expect(input[8 * 32 + 5]).toBe(1); // input column 5 lies over image column 1
    expect(input[23 * 32 + 31]).toBe(7);
    expect(input[24 * 32]).toBe(outsideImageClass);
    expect(Array.from(maskToImage(input, g))).toEqual(Array.from(mask));
    expect(() => maskToImage(new Uint8Array(10), g)).toThrow(/10 pixels is not 32x32/);
    expect(() => maskToInput(new Uint8Array(10), g)).toThrow(/10 pixels is not 8x4/);
  });
});
