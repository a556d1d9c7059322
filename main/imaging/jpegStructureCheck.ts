export interface JpegFacts {
  width: number;
  height: number;
  bitDepth: number;
  channels: 1 | 3 | 4;
  photometric: string;
}

const sofMarkers = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/**
 * Walks the JPEG marker segments up to the scan and checks the file ends
 * with EOI: catches truncated and mangled files without decoding the
 * entropy-coded data (the import keeps the original bytes).
 */
export function checkJpegStructure(bytes: Uint8Array, fileName: string): JpegFacts {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error(`${fileName}: not a JPEG (no SOI marker)`);
  let at = 2;
  let facts: JpegFacts | null = null;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) throw new Error(`${fileName}: JPEG marker expected at byte ${at}`);
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    if (at + 2 + length > bytes.length) throw new Error(`${fileName}: truncated JPEG (segment 0x${marker.toString(16)} at byte ${at} runs past the end)`);
    if (sofMarkers.has(marker)) {
      const components = bytes[at + 9]!;
      facts = {
        bitDepth: bytes[at + 4]!,
        height: (bytes[at + 5]! << 8) | bytes[at + 6]!,
        width: (bytes[at + 7]! << 8) | bytes[at + 8]!,
        channels: components === 1 ? 1 : components === 4 ? 4 : 3,
        photometric: components === 1 ? 'MONOCHROME2' : 'RGB',
      };
    }
    if (marker === 0xda) break;
    at += 2 + length;
  }
  if (!facts) throw new Error(`${fileName}: JPEG has no frame header (SOF)`);
  if (facts.width === 0 || facts.height === 0) throw new Error(`${fileName}: JPEG frame size ${facts.width}x${facts.height} is invalid`);
  let end = bytes.length;
  // some writers pad after EOI
  while (end > 2 && bytes[end - 1] === 0x00) end--;
  if (bytes[end - 2] !== 0xff || bytes[end - 1] !== 0xd9) throw new Error(`${fileName}: truncated JPEG (no EOI marker at the end)`);
  return facts;
}

export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}
