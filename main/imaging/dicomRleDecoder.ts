/**
 * DICOM RLE Lossless (PS3.5 annex G): a 64-byte header of segment offsets,
 * then one PackBits segment per byte plane, most significant byte first,
 * sample by sample. Output is little-endian interleaved samples; 1-bit
 * frames (binary segmentations) are one segment of packed bits, unpacked
 * here to one 0/1 byte per pixel.
 */
export function decodeDicomRleFrame(fragment: Uint8Array, rows: number, columns: number, samplesPerPixel: number, bitsAllocated: number): Uint8Array {
  if (fragment.length < 64) throw new Error(`RLE frame is ${fragment.length} bytes, shorter than its 64-byte header`);
  const view = new DataView(fragment.buffer, fragment.byteOffset, fragment.byteLength);
  const segmentCount = view.getUint32(0, true);
  const packedBits = bitsAllocated === 1;
  const bytesPerSample = packedBits ? 1 : bitsAllocated / 8;
  if (!Number.isInteger(bytesPerSample) || (packedBits && samplesPerPixel !== 1)) throw new Error(`RLE with ${bitsAllocated} bits allocated is not supported`);
  const expectedSegments = bytesPerSample * samplesPerPixel;
  if (segmentCount !== expectedSegments) throw new Error(`RLE frame has ${segmentCount} segments, expected ${expectedSegments}`);
  // Bits are packed across the whole frame, least significant bit first, as in native pixel data.
  const pixels = packedBits ? Math.ceil((rows * columns) / 8) : rows * columns;
  const output = new Uint8Array(pixels * expectedSegments);
  for (let segment = 0; segment < segmentCount; segment++) {
    const start = view.getUint32(4 + segment * 4, true);
    const end = segment + 1 < segmentCount ? view.getUint32(8 + segment * 4, true) : fragment.length;
    if (start < 64 || start > fragment.length || end > fragment.length || end < start) throw new Error(`RLE segment ${segment} lies outside the frame (truncated?)`);
    const sample = Math.floor(segment / bytesPerSample);
    // Segment 0 of a sample is its most significant byte; little-endian puts that last.
    const byteInSample = bytesPerSample - 1 - (segment % bytesPerSample);
    const stride = expectedSegments;
    const firstByte = sample * bytesPerSample + byteInSample;
    unpackBitsInto(fragment, start, end, output, firstByte, stride, pixels, segment);
  }
  return packedBits ? bitsToBytes(output, rows * columns) : output;
}

function bitsToBytes(packed: Uint8Array, count: number): Uint8Array {
  const output = new Uint8Array(count);
  for (let index = 0; index < count; index++) output[index] = ((packed[index >> 3] as number) >> (index & 7)) & 1;
  return output;
}

function unpackBitsInto(source: Uint8Array, start: number, end: number, output: Uint8Array, firstByte: number, stride: number, count: number, segment: number): void {
  let read = start;
  let written = 0;
  while (written < count && read < end) {
    const header = source[read++] as number;
    if (header < 128) {
      // literal run of header + 1 bytes
      const runLength = header + 1;
      if (read + runLength > end) throw new Error(`RLE segment ${segment} ends inside a literal run (truncated)`);
      for (let index = 0; index < runLength && written < count; index++) output[firstByte + stride * written++] = source[read++] as number;
    } else if (header > 128) {
      // one byte repeated 257 - header times
      if (read >= end) throw new Error(`RLE segment ${segment} ends inside a repeat run (truncated)`);
      const value = source[read++] as number;
      const runLength = 257 - header;
      for (let index = 0; index < runLength && written < count; index++) output[firstByte + stride * written++] = value;
    }
    // 128 is a no-op
  }
  if (written < count) throw new Error(`RLE segment ${segment} decodes to ${written} of ${count} bytes (truncated)`);
}
