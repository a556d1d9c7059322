/** Facts from a JPEG stream's start-of-frame segment. */
export interface JpegFrameHeader {
  /** the SOF marker's low byte: 0xc0 baseline, 0xc1 extended, 0xc2 progressive, 0xc3 lossless, 0xf7 JPEG-LS */
  sofMarker: number;
  precision: number;
  width: number;
  height: number;
  components: number;
}

const sofMarkers = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf, 0xf7]);

/**
 * Walks marker segments up to the first SOF. Returns null when the stream
 * ends first, so callers can report truncation in their own words.
 */
export function readJpegFrameHeader(bytes: Uint8Array): JpegFrameHeader | null {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    const marker = bytes[offset + 1] as number;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    const length = ((bytes[offset + 2] as number) << 8) | (bytes[offset + 3] as number);
    if (sofMarkers.has(marker)) {
      if (offset + 10 > bytes.length) return null;
      return {
        sofMarker: marker,
        precision: bytes[offset + 4] as number,
        height: ((bytes[offset + 5] as number) << 8) | (bytes[offset + 6] as number),
        width: ((bytes[offset + 7] as number) << 8) | (bytes[offset + 8] as number),
        components: bytes[offset + 9] as number,
      };
    }
    offset += 2 + length;
  }
  return null;
}
