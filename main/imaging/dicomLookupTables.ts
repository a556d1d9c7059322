/**
 * DICOM lookup tables applied at decode: palette colour (plain and segmented,
 * PS3.3 C.7.6.3 / C.7.9) and the Modality LUT Sequence (C.11.1).
 */
import type { DataSet } from 'dicom-parser';
import type { PixelArray } from './decodedImage';
import { PixelDecodeError } from './pixelDecodeError';

interface LutDescriptor {
  entries: number;
  firstMapped: number;
  bits: number;
}

/** Entries (0 means 65536), first mapped stored value (signed when the pixels are), bits per entry. */
function readDescriptor(dataSet: DataSet, tag: string, signedPixels: boolean): LutDescriptor | null {
  if (!dataSet.elements[tag]) return null;
  const rawFirst = dataSet.uint16(tag, 1) ?? 0;
  return {
    entries: dataSet.uint16(tag, 0) || 65536,
    firstMapped: signedPixels ? (rawFirst << 16) >> 16 : rawFirst,
    bits: dataSet.uint16(tag, 2) ?? 16,
  };
}

/** The 16-bit words of an element (LUT data is US or OW, in the data set's byte order). */
function readWords(dataSet: DataSet, tag: string): number[] | null {
  const element = dataSet.elements[tag];
  if (!element || element.length < 2) return null;
  const end = Math.min(element.dataOffset + element.length, dataSet.byteArray.length);
  const words: number[] = [];
  for (let at = element.dataOffset; at + 2 <= end; at += 2) words.push(dataSet.byteArrayParser.readUint16(dataSet.byteArray, at));
  return words;
}

/**
 * Expands segmented LUT data: discrete (opcode 0: n values), linear (1: n
 * steps from the last value to y) and indirect (2: n segments copied from a
 * byte offset) segments, in order, up to the table's entries (a file cannot
 * make it grow past them).
 */
export function expandSegmentedLut(words: readonly number[], entries: number, describeProblem: (problem: string) => Error): number[] {
  const output: number[] = [];
  const expand = (start: number, segmentLimit: number, allowIndirect: boolean): void => {
    let at = start;
    for (let segment = 0; segment < segmentLimit && at < words.length && output.length < entries; segment++) {
      const opcode = words[at] as number;
      const count = words[at + 1];
      if (count === undefined) throw describeProblem('segmented lookup table ends inside a segment header');
      if (opcode === 0) {
        if (at + 2 + count > words.length) throw describeProblem('segmented lookup table ends inside a discrete segment');
        for (let index = 0; index < count; index++) output.push(words[at + 2 + index] as number);
        at += 2 + count;
      } else if (opcode === 1) {
        const target = words[at + 2];
        if (target === undefined || output.length === 0) throw describeProblem('segmented lookup table has a linear segment with nothing to start from');
        const from = output[output.length - 1] as number;
        for (let step = 1; step <= count; step++) output.push(Math.round(from + ((target - from) * step) / count));
        at += 3;
      } else if (opcode === 2) {
        const low = words[at + 2];
        const high = words[at + 3];
        if (!allowIndirect || low === undefined || high === undefined) throw describeProblem('segmented lookup table has an indirect segment it cannot follow');
        const byteOffset = low + high * 0x10000;
        expand(byteOffset / 2, count, false);
        at += 4;
      } else {
        throw describeProblem(`segmented lookup table has an unknown segment type ${opcode}`);
      }
    }
  };
  expand(0, Number.POSITIVE_INFINITY, true);
  return output;
}

/** Palette colour lookup tables (descriptors 0028,1101-1103; data 0028,1201-1203 or segmented 0028,1221-1223) applied to indices. */
export function applyPaletteLookup(dataSet: DataSet, indices: PixelArray, signedPixels: boolean, fileName: string): Uint8Array {
  const channels = ['1', '2', '3'].map((colour) => {
    const descriptor = readDescriptor(dataSet, `x0028110${colour}`, signedPixels) ?? { entries: 65536, firstMapped: 0, bits: 16 };
    const { entries, firstMapped, bits } = descriptor;
    const table = new Uint8Array(entries);
    const plain = dataSet.elements[`x0028120${colour}`];
    const segmentedWords = plain ? null : readWords(dataSet, `x0028122${colour}`);
    if (plain) {
      // Stryker disable next-line EqualityOperator: equivalent, entry `entries` writes past the table's end (ignored)
      for (let entry = 0; entry < entries; entry++) {
        const value = bits === 8 ? (dataSet.byteArray[plain.dataOffset + entry] as number) : dataSet.byteArrayParser.readUint16(dataSet.byteArray, plain.dataOffset + entry * 2) >> 8;
        table[entry] = value;
      }
    } else if (segmentedWords) {
      const values = expandSegmentedLut(segmentedWords, entries, (problem) => new PixelDecodeError(fileName, `PALETTE COLOR ${problem}`));
      if (values.length === 0) throw new PixelDecodeError(fileName, 'PALETTE COLOR segmented lookup table is empty');
      for (let entry = 0; entry < entries; entry++) {
        const value = values[Math.min(entry, values.length - 1)] as number;
        table[entry] = bits === 8 ? value & 0xff : value >> 8;
      }
    } else {
      throw new PixelDecodeError(fileName, 'PALETTE COLOR image has no lookup table data');
    }
    return { table, firstMapped };
  });
  const output = new Uint8Array(indices.length * 3);
  // Stryker disable next-line EqualityOperator: equivalent, pixel `length` reads no index and writes past the output's end (ignored)
  for (let pixel = 0; pixel < indices.length; pixel++) {
    channels.forEach(({ table, firstMapped }, channel) => {
      const entry = Math.min(Math.max((indices[pixel] as number) - firstMapped, 0), table.length - 1);
      output[pixel * 3 + channel] = table[entry] as number;
    });
  }
  return output;
}

const modalityLutSequence = 'x00283000';

export interface ModalityLut {
  /** stored value -> output value, indexed by stored value minus firstMapped */
  table: Uint16Array;
  firstMapped: number;
  bits: number;
  /** LUT Explanation / Modality LUT Type, for the metadata */
  explanation: string | null;
  type: string | null;
}

/** The Modality LUT Sequence's first item, or null when the file has none. Unusable tables are an error: the values would be wrong. */
export function readModalityLut(dataSet: DataSet, signedPixels: boolean, fileName: string): ModalityLut | null {
  const element = dataSet.elements[modalityLutSequence];
  if (!element) return null;
  const item = element.items?.[0]?.dataSet;
  // An empty sequence (some writers emit one) says nothing: the rescale applies.
  if (!item) return null;
  // Nor does an item whose descriptor and data are both empty (writers that emit every attribute, e.g. pylibjpeg-data JPEGLosslessP14SV1_1s_1f_u_16_16.dcm).
  const isEmpty = (tag: string): boolean => !item.elements[tag]?.length;
  if (isEmpty('x00283002') && isEmpty('x00283006')) return null;
  const skipped = (problem: string): PixelDecodeError => new PixelDecodeError(fileName, `has a Modality LUT Sequence that cannot be applied (${problem}); skipped rather than imported with wrong values`);
  const descriptor = readDescriptor(item, 'x00283002', signedPixels);
  if (!descriptor) throw skipped('no LUT Descriptor');
  const words = readWords(item, 'x00283006');
  if (!words) throw skipped('no LUT Data');
  // 8-bit tables may pack two entries per word (OW); US data holds one per word.
  const packed = descriptor.bits <= 8 && words.length * 2 >= descriptor.entries && words.length < descriptor.entries;
  const values = packed ? words.flatMap((word) => [word & 0xff, word >> 8]) : words;
  if (values.length < descriptor.entries) throw skipped(`the descriptor says ${descriptor.entries} entries, the data holds ${values.length}`);
  const mask = descriptor.bits >= 16 ? 0xffff : (1 << descriptor.bits) - 1;
  const table = Uint16Array.from(values.slice(0, descriptor.entries), (value) => value & mask);
  const clean = (tag: string): string | null => item.string(tag)?.replace(/\0/g, '').trim() || null;
  return { table, firstMapped: descriptor.firstMapped, bits: descriptor.bits, explanation: clean('x00283003'), type: clean('x00283004') };
}

/** Stored values through the modality LUT; ends clamped as the standard says. 8-bit tables give Uint8. */
export function applyModalityLut(values: PixelArray, lut: ModalityLut): Uint8Array | Uint16Array {
  const output = lut.bits <= 8 ? new Uint8Array(values.length) : new Uint16Array(values.length);
  const last = lut.table.length - 1;
  for (let index = 0; index < values.length; index++) {
    const entry = Math.min(Math.max(Math.round(values[index] as number) - lut.firstMapped, 0), last);
    output[index] = lut.table[entry] as number;
  }
  return output;
}
