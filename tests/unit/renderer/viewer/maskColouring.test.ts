import { describe, expect, it } from 'vitest';
import { classColour, colouriseClassMask, hiddenByDefault } from '../../../../renderer/src/viewer/maskColouring';
import { base64ToBytes } from '../../../../shared/base64Bytes';

describe('maskColouring', () => {
  it('gives distinct colours to the first 40 class ids', () => {
    const keys = new Set(Array.from({ length: 40 }, (_, i) => classColour(i).join(',')));
    expect(keys.size).toBe(40);
  });

  it('colours visible classes and clears hidden ones, counting pixels per class', () => {
    // 3 pixels: class 0, class 2, class 2 (grey PNG: id in every channel)
    const source = new Uint8ClampedArray([0, 0, 0, 255, 2, 2, 2, 255, 2, 2, 2, 255]);
    const target = new Uint8ClampedArray(source.length).fill(9);
    const counts = colouriseClassMask(source, (id) => id !== 0, target);
    expect([...counts]).toEqual([
      [0, 1],
      [2, 2],
    ]);
    expect(target[3]).toBe(0);
    expect([...target.slice(4, 8)]).toEqual([...classColour(2), 255]);
    expect([...target.slice(8, 12)]).toEqual([...classColour(2), 255]);
  });

  it('hides background by name, or class 0 without a name', () => {
    expect(hiddenByDefault(0, 'background')).toBe(true);
    expect(hiddenByDefault(3, 'Background')).toBe(true);
    expect(hiddenByDefault(0, 'nucleus')).toBe(false);
    expect(hiddenByDefault(0, undefined)).toBe(true);
    expect(hiddenByDefault(1, undefined)).toBe(false);
  });
});

describe('raw class-id bytes', () => {
  it('colours one id per byte with stride 1', () => {
    const target = new Uint8ClampedArray(8);
    const counts = colouriseClassMask(new Uint8Array([1, 0]), (id) => id === 1, target, 1);
    expect([...target]).toEqual([...classColour(1), 255, 0, 0, 0, 0]);
    expect(counts.get(1)).toBe(1);
  });

  it('draws and counts nothing for outsideImageClass (letterbox padding, outside a valid region)', () => {
    const target = new Uint8ClampedArray(8).fill(9);
    const counts = colouriseClassMask(new Uint8Array([1, 255]), () => true, target, 1);
    expect([...target]).toEqual([...classColour(1), 255, 9, 9, 9, 0]);
    expect([...counts]).toEqual([[1, 1]]);
  });

  it('decodes base64 masks', () => {
    expect([...base64ToBytes(Buffer.from([0, 1, 2, 255]).toString('base64'))]).toEqual([0, 1, 2, 255]);
  });
});
