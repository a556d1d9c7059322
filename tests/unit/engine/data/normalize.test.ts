import { describe, expect, it } from 'vitest';
import { fixedNormalize, minMaxNormalize, normalizeImage, windowNormalize, zScoreNormalize } from '../../../../main/engine/data/normalize';
import { replicateGreyToRgb, toThreeChannels } from '../../../../main/engine/data/channels';

describe('normalisation', () => {
  it('z-score: 16-bit values [0, 1000, 2000, 3000] -> mean 0, std 1 (population std = sqrt(1.25e6))', () => {
    const out = zScoreNormalize(new Uint16Array([0, 1000, 2000, 3000]));
    const s = Math.sqrt(1.25e6);
    expect(Array.from(out)).toEqual([-1500 / s, -500 / s, 500 / s, 1500 / s].map((v) => Math.fround(v)));
  });

  it('constant images map to zeros instead of NaN', () => {
    expect(Array.from(zScoreNormalize(new Uint8Array([7, 7, 7])))).toEqual([0, 0, 0]);
    expect(Array.from(minMaxNormalize(new Uint8Array([7, 7])))).toEqual([0, 0]);
  });

  it('min-max keeps negative CT values in order and spans [0, 1]', () => {
    expect(Array.from(minMaxNormalize(new Int16Array([-1000, 0, 1000])))).toEqual([0, 0.5, 1]);
  });

  it('window clips outside values', () => {
    expect(Array.from(windowNormalize(new Int16Array([-1200, -160, 40, 240, 3000]), -160, 240))).toEqual([0, 0, 0.5, 1, 1]);
    expect(() => windowNormalize([1], 5, 5)).toThrow(/must exceed/);
  });

  it('fixed per-channel statistics apply per interleaved channel', () => {
    const out = fixedNormalize(new Float32Array([1, 2, 3, 5]), 2, [1, 2], [2, 3]);
    expect(Array.from(out)).toEqual([0, 0, 1, 1]);
    expect(() => fixedNormalize([1], 1, [0, 0], [1, 1])).toThrow(/need 1/);
    expect(normalizeImage([0, 255], 1, { kind: 'window', low: 0, high: 255 })).toEqual(new Float32Array([0, 1]));
  });
});

describe('channel helpers', () => {
  it('replicates grey and drops alpha', () => {
    expect(Array.from(replicateGreyToRgb([1, 2]))).toEqual([1, 1, 1, 2, 2, 2]);
    expect(Array.from(toThreeChannels([9, 255, 4, 0], 2))).toEqual([9, 9, 9, 4, 4, 4]);
    expect(Array.from(toThreeChannels([1, 2, 3, 255], 4))).toEqual([1, 2, 3]);
    expect(() => toThreeChannels([1, 2, 3], 2)).toThrow(/multiple of 2/);
    expect(() => toThreeChannels([1, 2, 3, 4, 5], 5)).toThrow(/unsupported/);
  });
});
