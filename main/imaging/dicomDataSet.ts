import { inflateRawSync } from 'node:zlib';
import dicomParser, { type DataSet, type Element } from 'dicom-parser';
import { describeThrown, PixelDecodeError } from './pixelDecodeError';

const deflatedExplicitLittleEndian = '1.2.840.10008.1.2.1.99';
const implicitLittleEndian = '1.2.840.10008.1.2';
const pixelDataTag = 'x7fe00010';

/** dicom-parser calls this for deflated data sets: inflate everything after the meta group. */
function inflateAfter(byteArray: Uint8Array, position: number): Uint8Array {
  const inflated = inflateRawSync(byteArray.subarray(position));
  const whole = new Uint8Array(position + inflated.length);
  whole.set(byteArray.subarray(0, position));
  whole.set(inflated, position);
  return whole;
}

const explicitLittleEndian = '1.2.840.10008.1.2.1';
const explicitBigEndian = '1.2.840.10008.1.2.2';

function hasPart10Preamble(bytes: Uint8Array): boolean {
  return bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

const valueRepresentations = new Set(['AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FD', 'FL', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'PN', 'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US', 'UT', 'UV']);

/** The element at this offset names its VR (explicit VR); in implicit VR those two bytes are part of the length. */
function hasExplicitVr(bytes: Uint8Array, at: number): boolean {
  return at + 6 <= bytes.length && valueRepresentations.has(String.fromCharCode(bytes[at + 4] as number, bytes[at + 5] as number));
}

/**
 * A data set without a file meta group (old scanners, some exports): its
 * encoding is read from its first element. Group numbers are small, so
 * 08 00 is little endian and 00 08 big endian.
 */
function rawDataSetTransferSyntax(bytes: Uint8Array): string {
  if (!hasExplicitVr(bytes, 0)) return implicitLittleEndian;
  return bytes[0] === 0 && bytes[1] !== 0 ? explicitBigEndian : explicitLittleEndian;
}

/** Part 10 without its 128-byte preamble and "DICM": the file starts with the meta group (0002), always explicit VR. */
function startsWithMetaGroup(bytes: Uint8Array): boolean {
  return bytes[0] === 0x02 && bytes[1] === 0x00 && hasExplicitVr(bytes, 0);
}

function withPart10Prefix(bytes: Uint8Array): Uint8Array {
  const whole = new Uint8Array(132 + bytes.length);
  whole.set([0x44, 0x49, 0x43, 0x4d], 128);
  whole.set(bytes, 132);
  return whole;
}

type MetaHeader = DataSet & { position: number };
type DataSetConstructor = new (parser: dicomParser.ByteArrayParser, byteArray: dicomParser.ByteArray, elements: Record<string, Element>) => DataSet;

/**
 * Some writers declare an explicit-VR transfer syntax in the meta group but
 * write the data set in implicit VR (or the reverse). Readers such as pydicom
 * follow the data set's first element; so do we. The declared syntax still
 * says how the pixel data is compressed. Null when the two agree.
 */
function parseWithDataSetVr(bytes: Uint8Array, untilTag: string | undefined): DataSet | null {
  const meta = dicomParser.readPart10Header(bytes) as MetaHeader;
  const declared = transferSyntaxOf(meta);
  if (isDeflated(declared) || meta.position + 6 > bytes.length) return null;
  const explicit = hasExplicitVr(bytes, meta.position);
  if (explicit === (declared !== implicitLittleEndian)) return null;
  // Implicit VR is little endian by definition; an explicit data set under an implicit declaration is read little endian too.
  const parser = dicomParser.littleEndianByteArrayParser;
  const stream = new dicomParser.ByteStream(parser, bytes, meta.position);
  const dataSet = new (dicomParser as unknown as { DataSet: DataSetConstructor }).DataSet(parser, bytes, { ...meta.elements });
  if (explicit) dicomParser.parseDicomDataSetExplicit(dataSet, stream, bytes.length, untilTag ? { untilTag } : undefined);
  else parseImplicitWithEncapsulatedPixels(dataSet, stream, untilTag !== undefined);
  return dataSet;
}

/**
 * Implicit VR under a compressed transfer syntax: dicom-parser's implicit
 * reader takes undefined-length Pixel Data for a sequence, so stop there and
 * read the fragments as its explicit reader does.
 */
function parseImplicitWithEncapsulatedPixels(dataSet: DataSet, stream: dicomParser.ByteStream, stopAtPixelData: boolean): void {
  const end = stream.byteArray.length;
  dicomParser.parseDicomDataSetImplicit(dataSet, stream, end, { untilTag: pixelDataTag });
  const pixelData = dataSet.elements[pixelDataTag];
  if (!pixelData || stopAtPixelData) return;
  if (pixelData.hadUndefinedLength) dicomParser.findEndOfEncapsulatedElement(stream, pixelData, stream.warnings);
  else stream.seek(pixelData.length);
  if (stream.position < end) dicomParser.parseDicomDataSetImplicit(dataSet, stream, end);
}

/**
 * Parses a DICOM file: Part 10, Part 10 without its preamble, or a bare data
 * set (implicit or explicit VR) as old scanners wrote them. With
 * stopAtPixelData the pixel bytes are not walked, which keeps header reads cheap.
 */
export function parseDicomDataSet(bytes: Uint8Array, fileName: string, stopAtPixelData: boolean): DataSet {
  const input = !hasPart10Preamble(bytes) && startsWithMetaGroup(bytes) ? withPart10Prefix(bytes) : bytes;
  const part10 = hasPart10Preamble(input);
  const options: dicomParser.ParseDicomOptions = {
    inflater: inflateAfter as unknown as dicomParser.ParseDicomOptions['inflater'],
    ...(stopAtPixelData ? { untilTag: pixelDataTag } : {}),
    ...(part10 ? {} : { TransferSyntaxUID: rawDataSetTransferSyntax(input) }),
  };
  try {
    return (part10 ? parseWithDataSetVr(input, options.untilTag) : null) ?? dicomParser.parseDicom(input, options);
  } catch (thrown) {
    throw new PixelDecodeError(fileName, describeParseProblem(describeThrown(thrown)), { cause: thrown });
  }
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
