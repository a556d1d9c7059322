/**
 * PALETTE COLOR: stored indices looked up in the red, green and blue lookup
 * tables (descriptor: entries, first mapped value, bits per entry), indices
 * outside the table clamped to its ends. Fixtures written in code.
 */
import { describe, expect, it } from 'vitest';
import { decodeImageBytes, readImageHeader } from '../../../main/imaging/decodeImageFile';
import { writeEnhancedDicom, type Attribute } from '../../fixtures/pixels/enhancedDicomWriter';

const u16le = (values: number[]): Uint8Array => {
  const out = new Uint8Array(values.length * 2);
  values.forEach((v, i) => new DataView(out.buffer).setUint16(i * 2, v, true));
  return out;
};

/** descriptor + data of the three tables; 16-bit entries keep their high byte, 8-bit entries are bytes */
function paletteAttributes(tables: number[][], firstMapped: number, bits: 8 | 16): Attribute[] {
  return tables.flatMap((table, c) => [
    { tag: [0x0028, 0x1101 + c], vr: 'US', value: [table.length, firstMapped, bits] },
    { tag: [0x0028, 0x1201 + c], vr: 'OW', bytes: bits === 16 ? u16le(table) : Uint8Array.from(table.length % 2 ? [...table, 0] : table) },
  ] satisfies Attribute[]);
}

describe('PALETTE COLOR lookup', () => {
  // indices 2 x 3 (non-square): first mapped 10, so 9 clamps to entry 0 and 13 to entry 2
  const indices = Uint8Array.from([10, 11, 12, 9, 13, 11]);
  const entries = [0, 1, 2, 0, 2, 1];

  it('16-bit tables: the high byte of each entry, per channel, first mapped value subtracted, ends clamped', async () => {
    const red = [0x1000, 0x80ff, 0xff00];
    const green = [0x2000, 0x4000, 0x0100];
    const blue = [0xfe00, 0x0000, 0x7f7f];
    const bytes = writeEnhancedDicom({ rows: 2, columns: 3, frames: 1, samples: indices, photometric: 'PALETTE COLOR', topLevel: paletteAttributes([red, green, blue], 10, 16) });
    expect(readImageHeader(bytes, 'palette.dcm')).toMatchObject({ channels: 3, photometric: 'RGB' });
    const [image] = await decodeImageBytes(bytes, 'palette.dcm');
    expect(image!.channels).toBe(3);
    expect(image!.photometric).toBe('RGB');
    expect(Array.from(image!.data)).toEqual(entries.flatMap((e) => [red[e]! >> 8, green[e]! >> 8, blue[e]! >> 8]));
  });

  it('8-bit tables and a first mapped value of 0', async () => {
    const red = [5, 6, 7, 8];
    const green = [50, 60, 70, 80];
    const blue = [200, 201, 202, 203];
    const bytes = writeEnhancedDicom({ rows: 1, columns: 5, frames: 1, samples: Uint8Array.from([3, 0, 1, 2, 9]), photometric: 'PALETTE COLOR', topLevel: paletteAttributes([red, green, blue], 0, 8) });
    const [image] = await decodeImageBytes(bytes, 'palette8.dcm');
    expect(Array.from(image!.data)).toEqual([3, 0, 1, 2, 3].flatMap((e) => [red[e], green[e], blue[e]]));
  });

  it('names a palette image without its lookup table data', async () => {
    const descriptorsOnly = paletteAttributes([[1], [1], [1]], 0, 8).filter((a) => a.tag[1] < 0x1200);
    const bytes = writeEnhancedDicom({ rows: 1, columns: 2, frames: 1, samples: Uint8Array.from([0, 0]), photometric: 'PALETTE COLOR', topLevel: descriptorsOnly });
    await expect(decodeImageBytes(bytes, 'nolut.dcm')).rejects.toThrow(/nolut.dcm.*PALETTE COLOR image has no lookup table data/);
  });
});
