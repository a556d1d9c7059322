import { crc32 } from 'node:zlib';

export interface PngFacts {
  width: number;
  height: number;
  bitDepth: number;
  channels: 1 | 2 | 3 | 4;
  photometric: string;
}

const channelsByColourType: Record<number, { channels: PngFacts['channels']; photometric: string }> = {
  0: { channels: 1, photometric: 'MONOCHROME2' },
  2: { channels: 3, photometric: 'RGB' },
  3: { channels: 3, photometric: 'PALETTE COLOR' },
  4: { channels: 2, photometric: 'MONOCHROME2' },
  6: { channels: 4, photometric: 'RGB' },
};

/**
 * Walks every chunk of a PNG and checks its CRC with the native crc32, so a
 * damaged file is refused at import without inflating the pixels (the import
 * stores the original bytes; pixels are decoded when used). Throws naming
 * the file and the chunk.
 */
export function checkPngChunks(bytes: Uint8Array, fileName: string): PngFacts {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8 + 25) throw new Error(`${fileName}: truncated PNG (${bytes.length} bytes)`);
  let at = 8;
  let facts: PngFacts | null = null;
  let sawData = false;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) throw new Error(`${fileName}: truncated PNG (chunk header at byte ${at} cut off)`);
    const length = view.getUint32(at);
    const type = String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!, bytes[at + 6]!, bytes[at + 7]!);
    const end = at + 8 + length;
    if (end + 4 > bytes.length) throw new Error(`${fileName}: truncated PNG (${type} chunk at byte ${at} runs past the end)`);
    const stored = view.getUint32(end);
    const actual = crc32(bytes.subarray(at + 4, end));
    if (stored !== actual) throw new Error(`${fileName}: PNG ${type} chunk at byte ${at} has a bad CRC (file damaged)`);
    if (type === 'IHDR') {
      const colourType = bytes[at + 17]!;
      const kind = channelsByColourType[colourType];
      if (!kind) throw new Error(`${fileName}: PNG colour type ${colourType} is invalid`);
      facts = { width: view.getUint32(at + 8), height: view.getUint32(at + 12), bitDepth: colourType === 3 ? 8 : bytes[at + 16]!, ...kind };
    } else if (!facts) throw new Error(`${fileName}: PNG does not start with IHDR`);
    if (type === 'IDAT') sawData = true;
    if (type === 'IEND') {
      if (!sawData) throw new Error(`${fileName}: PNG has no image data (IDAT)`);
      return facts;
    }
    at = end + 4;
  }
  throw new Error(`${fileName}: truncated PNG (no IEND chunk)`);
}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47 && bytes[4] === 0x0d && bytes[5] === 0x0a && bytes[6] === 0x1a && bytes[7] === 0x0a;
}
