import * as zlib from 'node:zlib';
import { PixelDecodeError } from './pixelDecodeError';

/** Native CRC-32 where this Node has it (20.15+); the table version below otherwise. */
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

const crcTable = (() => {
  const table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let value = byte;
    for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
    table[byte] = value >>> 0;
  }
  return table;
})();

/** CRC-32 as PNG defines it (ISO 3309), over type + data of a chunk. */
export function pngCrc32(bytes: Uint8Array): number {
  if (nativeCrc32) return nativeCrc32(bytes) >>> 0;
  let crc = 0xffffffff;
  for (let index = 0; index < bytes.length; index++) crc = (crcTable[(crc ^ (bytes[index] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * Walks every chunk and checks its CRC before any decoding, so damage is
 * reported as what it is (fast-png would otherwise fail later with a zlib
 * error, or not at all when only the CRC bytes are damaged). Also catches
 * files cut short before IEND.
 */
export function verifyPngChunks(bytes: Uint8Array, fileName: string): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  while (offset + 8 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const end = offset + 8 + length + 4;
    if (end > bytes.length) throw new PixelDecodeError(fileName, `PNG is truncated inside chunk ${type} (needs ${end} bytes, has ${bytes.length})`);
    const stored = view.getUint32(offset + 8 + length);
    const computed = pngCrc32(bytes.subarray(offset + 4, offset + 8 + length));
    if (stored !== computed) throw new PixelDecodeError(fileName, `PNG chunk ${type} at byte ${offset} fails its CRC check (stored ${stored.toString(16)}, computed ${computed.toString(16)}): the file is damaged`);
    if (type === 'IEND') return;
    offset = end;
  }
  throw new PixelDecodeError(fileName, 'PNG is truncated: it ends before the IEND chunk');
}
