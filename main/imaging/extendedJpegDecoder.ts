/**
 * Decoder for sequential Huffman DCT JPEG with 12-bit samples (ISO 10918
 * process 4, DICOM transfer syntax 1.2.840.10008.1.2.4.51), grey only. The
 * installed JPEG codec clamps output to 8 bits, which would destroy CT
 * values; this keeps all 12. Also handles 8-bit sequential streams, which is
 * how it is cross-checked against jpeg-js in the tests.
 */
import type { DecodedJpegFrame } from './decodedJpegFrame';

// Natural (row-major) index of each zig-zag position.
const zigZagToNatural = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57,
  50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

interface HuffmanTable {
  /** largest code of each length (index 1..16), -1 when no code has that length */
  maxCode: Int32Array;
  /** first code of each length */
  minCode: Int32Array;
  /** index into values of the first code of each length */
  valueOffset: Int32Array;
  values: Uint8Array;
}

function buildHuffmanTable(counts: Uint8Array, values: Uint8Array): HuffmanTable {
  const maxCode = new Int32Array(17).fill(-1);
  const minCode = new Int32Array(17);
  const valueOffset = new Int32Array(17);
  let code = 0;
  let index = 0;
  for (let length = 1; length <= 16; length++) {
    const count = counts[length - 1] as number;
    if (count > 0) {
      valueOffset[length] = index;
      minCode[length] = code;
      code += count;
      index += count;
      maxCode[length] = code - 1;
    }
    code <<= 1;
  }
  return { maxCode, minCode, valueOffset, values };
}

class EntropyReader {
  private bitBuffer = 0;
  private bitCount = 0;
  constructor(
    private readonly bytes: Uint8Array,
    public offset: number,
  ) {}

  private readBit(): number {
    if (this.bitCount === 0) {
      let byte = 0;
      if (this.offset < this.bytes.length) {
        byte = this.bytes[this.offset] as number;
        const next = this.bytes[this.offset + 1];
        if (byte === 0xff) {
          if (next === 0x00) this.offset += 2;
          else byte = 0; // a marker: feed zeros, never consume it here
        } else this.offset += 1;
      } else {
        throw new Error('entropy-coded data ends early (truncated)');
      }
      this.bitBuffer = byte;
      this.bitCount = 8;
    }
    this.bitCount -= 1;
    return (this.bitBuffer >> this.bitCount) & 1;
  }

  receive(length: number): number {
    let value = 0;
    for (let bit = 0; bit < length; bit++) value = (value << 1) | this.readBit();
    return value;
  }

  /** A magnitude category's bits, sign-extended (F.2.2.1). */
  receiveExtend(length: number): number {
    if (length === 0) return 0;
    const value = this.receive(length);
    return value < 1 << (length - 1) ? value - (1 << length) + 1 : value;
  }

  decodeHuffman(table: HuffmanTable): number {
    let code = 0;
    for (let length = 1; length <= 16; length++) {
      code = (code << 1) | this.readBit();
      if (code <= (table.maxCode[length] as number)) {
        return table.values[(table.valueOffset[length] as number) + code - (table.minCode[length] as number)] as number;
      }
    }
    throw new Error('invalid Huffman code');
  }

  /** Skips to the byte boundary and over the RSTn marker that must follow. */
  restart(): void {
    this.bitCount = 0;
    while (this.offset + 1 < this.bytes.length && !(this.bytes[this.offset] === 0xff && ((this.bytes[this.offset + 1] as number) & 0xf8) === 0xd0)) {
      this.offset += 1;
    }
    this.offset += 2;
  }
}

// cosines[x * 8 + u] = C(u) cos((2x + 1) u pi / 16) / 2
const cosines = new Float64Array(64);
for (let x = 0; x < 8; x++) {
  for (let u = 0; u < 8; u++) cosines[x * 8 + u] = ((u === 0 ? Math.SQRT1_2 : 1) * Math.cos(((2 * x + 1) * u * Math.PI) / 16)) / 2;
}

/** Separable float inverse DCT of one block of dequantised coefficients, in place. */
function inverseDct(block: Float64Array, scratch: Float64Array): void {
  for (let row = 0; row < 8; row++) {
    for (let x = 0; x < 8; x++) {
      let sum = 0;
      for (let u = 0; u < 8; u++) sum += (cosines[x * 8 + u] as number) * (block[row * 8 + u] as number);
      scratch[row * 8 + x] = sum;
    }
  }
  for (let column = 0; column < 8; column++) {
    for (let y = 0; y < 8; y++) {
      let sum = 0;
      for (let v = 0; v < 8; v++) sum += (cosines[y * 8 + v] as number) * (scratch[v * 8 + column] as number);
      block[y * 8 + column] = sum;
    }
  }
}

function readUint16(bytes: Uint8Array, offset: number): number {
  if (offset + 2 > bytes.length) throw new Error('stream ends inside a marker segment (truncated)');
  return ((bytes[offset] as number) << 8) | (bytes[offset + 1] as number);
}

export function decodeExtendedJpeg(bytes: Uint8Array): DecodedJpegFrame {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error('no start-of-image marker');
  const quantTables: Array<Int32Array | undefined> = [];
  const dcTables: Array<HuffmanTable | undefined> = [];
  const acTables: Array<HuffmanTable | undefined> = [];
  let restartInterval = 0;
  let frame: { precision: number; width: number; height: number; quantTable: number } | undefined;
  let offset = 2;
  for (;;) {
    const marker = readUint16(bytes, offset);
    if (marker === 0xffff) {
      offset += 1;
      continue;
    }
    const length = readUint16(bytes, offset + 2);
    const segment = offset + 4;
    const segmentEnd = offset + 2 + length;
    if (segmentEnd > bytes.length) throw new Error('stream ends inside a marker segment (truncated)');
    if (marker === 0xffdb) {
      for (let at = segment; at < segmentEnd; ) {
        const precisionAndId = bytes[at++] as number;
        const table = new Int32Array(64);
        const wide = precisionAndId >> 4 === 1;
        for (let k = 0; k < 64; k++) {
          table[k] = wide ? readUint16(bytes, at) : (bytes[at] as number);
          at += wide ? 2 : 1;
        }
        quantTables[precisionAndId & 15] = table;
      }
    } else if (marker === 0xffc4) {
      for (let at = segment; at < segmentEnd; ) {
        const classAndId = bytes[at++] as number;
        const counts = bytes.slice(at, at + 16);
        at += 16;
        const total = counts.reduce((sum, count) => sum + count, 0);
        const table = buildHuffmanTable(counts, bytes.slice(at, at + total));
        at += total;
        (classAndId >> 4 === 0 ? dcTables : acTables)[classAndId & 15] = table;
      }
    } else if (marker === 0xffdd) {
      restartInterval = readUint16(bytes, segment);
    } else if (marker === 0xffc0 || marker === 0xffc1) {
      const components = bytes[segment + 5] as number;
      if (components !== 1) throw new Error(`${components}-component extended JPEG is not supported (grey only)`);
      frame = {
        precision: bytes[segment] as number,
        height: readUint16(bytes, segment + 1),
        width: readUint16(bytes, segment + 3),
        quantTable: bytes[segment + 8] as number,
      };
    } else if ((marker & 0xfff0) === 0xffc0 && marker !== 0xffc4 && marker !== 0xffc8 && marker !== 0xffcc) {
      throw new Error(`JPEG process with marker 0x${marker.toString(16)} is not supported (sequential Huffman only)`);
    } else if (marker === 0xffda) {
      if (!frame) throw new Error('scan before frame header');
      const tableSelectors = bytes[segment + 2] as number;
      const dc = dcTables[tableSelectors >> 4];
      const ac = acTables[tableSelectors & 15];
      const quant = quantTables[frame.quantTable];
      if (!dc || !ac || !quant) throw new Error('scan refers to a missing Huffman or quantisation table');
      return decodeScan(bytes, segmentEnd, frame, dc, ac, quant, restartInterval);
    } else if (marker === 0xffd9) {
      throw new Error('image ends before any scan');
    }
    offset = segmentEnd;
  }
}

function decodeScan(
  bytes: Uint8Array,
  offset: number,
  frame: { precision: number; width: number; height: number },
  dc: HuffmanTable,
  ac: HuffmanTable,
  quant: Int32Array,
  restartInterval: number,
): DecodedJpegFrame {
  const { width, height, precision } = frame;
  const blocksAcross = Math.ceil(width / 8);
  const blocksDown = Math.ceil(height / 8);
  const maxValue = (1 << precision) - 1;
  const levelShift = 1 << (precision - 1);
  const output = precision > 8 ? new Uint16Array(width * height) : new Uint8Array(width * height);
  const reader = new EntropyReader(bytes, offset);
  const block = new Float64Array(64);
  const scratch = new Float64Array(64);
  let predictor = 0;
  const totalBlocks = blocksAcross * blocksDown;
  for (let blockNumber = 0; blockNumber < totalBlocks; blockNumber++) {
    if (restartInterval > 0 && blockNumber > 0 && blockNumber % restartInterval === 0) {
      reader.restart();
      predictor = 0;
    }
    block.fill(0);
    predictor += reader.receiveExtend(reader.decodeHuffman(dc));
    block[0] = predictor * (quant[0] as number);
    for (let k = 1; k < 64; ) {
      const runAndSize = reader.decodeHuffman(ac);
      const size = runAndSize & 15;
      const run = runAndSize >> 4;
      if (size === 0) {
        if (run !== 15) break; // end of block
        k += 16;
        continue;
      }
      k += run;
      if (k > 63) throw new Error('AC coefficient index out of range');
      block[zigZagToNatural[k] as number] = reader.receiveExtend(size) * (quant[k] as number);
      k += 1;
    }
    inverseDct(block, scratch);
    const top = Math.floor(blockNumber / blocksAcross) * 8;
    const left = (blockNumber % blocksAcross) * 8;
    for (let y = 0; y < 8 && top + y < height; y++) {
      for (let x = 0; x < 8 && left + x < width; x++) {
        const sample = Math.round((block[y * 8 + x] as number) + levelShift);
        output[(top + y) * width + left + x] = sample < 0 ? 0 : sample > maxValue ? maxValue : sample;
      }
    }
  }
  return { width, height, channels: 1, precision, data: output };
}
