import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64 } from '../../../shared/base64Bytes';

describe('bytesToBase64', () => {
  it('matches Node for every padding case and for a large mask', () => {
    for (const length of [0, 1, 2, 3, 4, 5, 6]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 97 + 255) & 255);
      expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
    const mask = Uint8Array.from({ length: 224 * 224 + 1 }, (_, i) => (i * 31) % 251);
    expect(bytesToBase64(mask)).toBe(Buffer.from(mask).toString('base64'));
    // a view into a larger buffer encodes only its own bytes
    const view = mask.subarray(10, 20);
    expect(bytesToBase64(view)).toBe(Buffer.from(view).toString('base64'));
  });
});

describe('base64ToBytes', () => {
  it('reverses Node for every padding case and a large file, and refuses characters outside the alphabet', () => {
    for (const length of [0, 1, 2, 3, 4, 5, 6, 70001]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 131 + 7) & 255);
      expect(base64ToBytes(Buffer.from(bytes).toString('base64'))).toEqual(bytes);
    }
    expect(() => base64ToBytes('AA*A')).toThrow(/character "\*" at 2/);
    expect(() => base64ToBytes('AAé=')).toThrow(/not base64/);
  });
});
