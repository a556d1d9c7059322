import { inflateRawSync } from 'node:zlib';
import dicomParser, { type DataSet } from 'dicom-parser';
import { describeThrown, PixelDecodeError } from './pixelDecodeError';

const deflatedExplicitLittleEndian = '1.2.840.10008.1.2.1.99';
const implicitLittleEndian = '1.2.840.10008.1.2';

/** dicom-parser calls this for deflated data sets: inflate everything after the meta group. */
function inflateAfter(byteArray: Uint8Array, position: number): Uint8Array {
  const inflated = inflateRawSync(byteArray.subarray(position));
  const whole = new Uint8Array(position + inflated.length);
  whole.set(byteArray.subarray(0, position));
  whole.set(inflated, position);
  return whole;
}

function hasPart10Preamble(bytes: Uint8Array): boolean {
  return bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

/**
 * Parses a DICOM file (Part 10, or a bare implicit-little-endian data set as
 * old scanners wrote them). With stopAtPixelData the pixel bytes are not
 * walked, which keeps header reads cheap.
 */
export function parseDicomDataSet(bytes: Uint8Array, fileName: string, stopAtPixelData: boolean): DataSet {
  const options: dicomParser.ParseDicomOptions = {
    inflater: inflateAfter as unknown as dicomParser.ParseDicomOptions['inflater'],
    ...(stopAtPixelData ? { untilTag: 'x7fe00010' } : {}),
    ...(hasPart10Preamble(bytes) ? {} : { TransferSyntaxUID: implicitLittleEndian }),
  };
  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(bytes, options);
  } catch (thrown) {
    const repaired = stopAtPixelData ? null : withEncapsulationClosed(bytes, options);
    if (repaired) return repaired;
    throw new PixelDecodeError(fileName, describeParseProblem(describeThrown(thrown)), { cause: thrown });
  }
  return dataSet;
}

const sequenceDelimiter = [0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0];

/**
 * Some writers end a file with a complete JPEG / JPEG 2000 frame (its FFD9
 * end marker) but drop the last fragment's pad byte and the sequence
 * delimiter. The pixels are all there: parse again with those closing bytes
 * supplied. A frame cut short still fails, in its codec.
 */
function withEncapsulationClosed(bytes: Uint8Array, options: dicomParser.ParseDicomOptions): DataSet | null {
  const end = bytes.length;
  const endsWithMarker = (bytes[end - 2] === 0xff && bytes[end - 1] === 0xd9) || (bytes[end - 3] === 0xff && bytes[end - 2] === 0xd9 && bytes[end - 1] === 0);
  if (!endsWithMarker) return null;
  for (const closing of [sequenceDelimiter, [0, ...sequenceDelimiter]]) {
    const closed = new Uint8Array(end + closing.length);
    closed.set(bytes);
    closed.set(closing, end);
    try {
      const dataSet = dicomParser.parseDicom(closed, options);
      if (dataSet.elements.x7fe00010?.encapsulatedPixelData) return dataSet;
    } catch {
      // not this repair
    }
  }
  return null;
}

/**
 * What a dicom-parser failure means for the user. Its own messages name
 * internal functions and parameters ('maxPosition'), which say nothing to
 * someone importing files; the original stays in the error's cause.
 */
export function describeParseProblem(parserMessage: string): string {
  if (/zlib|inflat|incorrect header|invalid (block|distance|code)|unexpected end of file/i.test(parserMessage)) return 'deflated DICOM data set is corrupt (it does not inflate)';
  if (/DICM prefix not found/i.test(parserMessage)) return 'not a DICOM file (no "DICM" marker after the 128-byte preamble)';
  if (/item tag \(FFFE,E000\) not found/i.test(parserMessage)) return 'DICOM file is damaged: a sequence or the compressed pixel data is missing an item marker where one should be';
  if (/past end|overrun|overread|beyond|end of buffer|overflow|maxPosition|greater than or equal to 'byteArray' length/i.test(parserMessage)) {
    return 'DICOM file is truncated or damaged: an element claims more bytes than the file holds';
  }
  if (/invalid (DA|TM)/i.test(parserMessage)) return 'DICOM file has an unreadable date or time value';
  return 'not a readable DICOM file (its data set is malformed)';
}

/** A problem locating a frame in encapsulated pixel data, in the user's words. */
export function describeFrameLocationProblem(parserMessage: string): string {
  if (/offset table|basicOffsetTable|fragment/i.test(parserMessage)) return 'its offset table or fragments do not match the number of frames';
  return 'the compressed pixel data is damaged';
}

export function transferSyntaxOf(dataSet: DataSet): string {
  return dataSet.string('x00020010')?.replace(/\0/g, '').trim() || implicitLittleEndian;
}

export function isDeflated(uid: string): boolean {
  return uid === deflatedExplicitLittleEndian;
}

/** First value of a multi-valued decimal string, or null. */
export function firstDecimal(dataSet: DataSet, tag: string): number | null {
  const value = dataSet.floatString(tag, 0);
  return value === undefined || Number.isNaN(value) ? null : value;
}

/** All values of a decimal-string attribute (pixel spacing, positions), or null. */
export function decimals(dataSet: DataSet, tag: string): number[] | null {
  const count = dataSet.numStringValues(tag);
  if (!count) return null;
  const values: number[] = [];
  for (let index = 0; index < count; index++) {
    const value = dataSet.floatString(tag, index);
    // Stryker disable next-line ConditionalExpression: equivalent, indices below numStringValues always read a value (NaN when unparsable)
    if (value === undefined || Number.isNaN(value)) return null;
    values.push(value);
  }
  return values;
}

export function text(dataSet: DataSet, tag: string): string | null {
  const value = dataSet.string(tag)?.replace(/\0/g, '').trim();
  return value ? value : null;
}

const perFrameFunctionalGroups = 'x52009230';
const sharedFunctionalGroups = 'x52009229';

/**
 * The data sets to read a frame's attribute from, in precedence order: the
 * top level, then the enhanced multi-frame functional group macro for this
 * frame, then the shared one (where enhanced CT/MR keep rescale, window and
 * geometry).
 */
export function frameAttributeSources(dataSet: DataSet, frameIndex: number, macroTag: string): DataSet[] {
  const sources = [dataSet];
  const perFrame = dataSet.elements[perFrameFunctionalGroups]?.items?.[frameIndex]?.dataSet;
  const shared = dataSet.elements[sharedFunctionalGroups]?.items?.[0]?.dataSet;
  for (const group of [perFrame, shared]) {
    const macro = group?.elements[macroTag]?.items?.[0]?.dataSet;
    if (macro) sources.push(macro);
  }
  return sources;
}

/** First source that has the attribute, read with the given reader. */
export function firstPresent<T>(sources: DataSet[], tag: string, read: (source: DataSet, tag: string) => T | null): T | null {
  for (const source of sources) {
    // Stryker disable next-line ConditionalExpression: equivalent, every reader returns null for an absent tag; the check saves the read
    if (source.elements[tag]) {
      const value = read(source, tag);
      if (value !== null) return value;
    }
  }
  return null;
}

/** Functional-group macros holding the attributes we keep per frame. */
export const frameMacros = {
  pixelValueTransformation: 'x00289145',
  frameVoiLut: 'x00289132',
  pixelMeasures: 'x00289110',
  planePosition: 'x00209113',
  planeOrientation: 'x00209116',
} as const;
