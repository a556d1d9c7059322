import dicomParser, { type DataSet, type Element } from 'dicom-parser';
import type { DecodedImage, PixelArray } from './decodedImage';
import { decimals, describeFrameLocationProblem, describeParseProblem, firstDecimal, firstPresent, frameAttributeSources, frameMacros, parseDicomDataSet, text, transferSyntaxOf } from './dicomDataSet';
import { decodeEncapsulatedFrame, type CodecFrame } from './dicomFrameDecoders';
import { readDicomPixelModule, type DicomPixelModule } from './dicomPixelModule';
import { describeUnsupportedTransferSyntax, findTransferSyntax, type TransferSyntax } from './dicomTransferSyntaxes';
import type { ImageHeader } from './imageHeader';
import { applyModalityLut, applyPaletteLookup, readModalityLut } from './dicomLookupTables';
import { describeThrown, PixelDecodeError } from './pixelDecodeError';
import { applyRescale } from './pixelValues';

const pixelDataTag = 'x7fe00010';
/** Float Pixel Data (parametric maps) and Double Float Pixel Data: the image's samples are IEEE floats. */
const floatPixelDataTag = 'x7fe00008';
const doubleFloatPixelDataTag = 'x7fe00009';
/** RT Dose: stored values times Dose Grid Scaling are the dose in Dose Units. */
const doseGridScalingTag = 'x3004000e';

function requireTransferSyntax(uid: string, fileName: string): TransferSyntax {
  const syntax = findTransferSyntax(uid);
  if (!syntax) throw new PixelDecodeError(fileName, describeUnsupportedTransferSyntax(uid));
  return syntax;
}

/** Colour images are decoded to RGB; grey keeps its MONOCHROME1/2 (previews invert MONOCHROME1 after windowing). */
function decodedPhotometric(module: DicomPixelModule): string {
  if (module.samplesPerPixel === 3) return 'RGB';
  if (module.photometric === 'PALETTE COLOR') return 'RGB';
  return module.photometric;
}

type PixelDataKind = 'integer' | 'float' | 'double';

/** The pixel data element: integer Pixel Data, or Float / Double Float Pixel Data (parametric maps). */
function pixelDataOf(dataSet: DataSet): { element: Element; kind: PixelDataKind } | null {
  const integer = dataSet.elements[pixelDataTag];
  if (integer) return { element: integer, kind: 'integer' };
  const float = dataSet.elements[floatPixelDataTag];
  if (float) return { element: float, kind: 'float' };
  const double = dataSet.elements[doubleFloatPixelDataTag];
  return double ? { element: double, kind: 'double' } : null;
}

export function readDicomHeader(bytes: Uint8Array, fileName: string): ImageHeader {
  return inUserWords(fileName, () => readDicomHeaderUnchecked(bytes, fileName));
}

function readDicomHeaderUnchecked(bytes: Uint8Array, fileName: string): ImageHeader {
  const dataSet = parseDicomDataSet(bytes, fileName, true);
  const uid = transferSyntaxOf(dataSet);
  requireTransferSyntax(uid, fileName);
  const module = readDicomPixelModule(dataSet, fileName);
  return {
    format: 'dicom',
    width: module.columns,
    height: module.rows,
    channels: module.photometric === 'PALETTE COLOR' ? 3 : module.samplesPerPixel,
    bitDepth: module.bitsStored,
    frames: module.frames,
    photometric: decodedPhotometric(module),
    modality: text(dataSet, 'x00080060'),
    patientId: text(dataSet, 'x00100020'),
    studyInstanceUid: text(dataSet, 'x0020000d'),
    seriesInstanceUid: text(dataSet, 'x0020000e'),
    transferSyntaxUid: uid,
  };
}

/** A frame's rescale, read from the top level or the enhanced multi-frame functional groups. */
function frameRescale(dataSet: DataSet, frameIndex: number): { slope: number; intercept: number } {
  const sources = frameAttributeSources(dataSet, frameIndex, frameMacros.pixelValueTransformation);
  return {
    slope: firstPresent(sources, 'x00281053', firstDecimal) ?? 1,
    intercept: firstPresent(sources, 'x00281052', firstDecimal) ?? 0,
  };
}

/** Facts worth keeping with every frame: intensity transforms, geometry, identity. */
function dicomMetadata(dataSet: DataSet, frameIndex: number, module: DicomPixelModule, syntax: TransferSyntax): NonNullable<DecodedImage['metadata']> {
  const { slope, intercept } = frameRescale(dataSet, frameIndex);
  const rescaleSources = frameAttributeSources(dataSet, frameIndex, frameMacros.pixelValueTransformation);
  const windowSources = frameAttributeSources(dataSet, frameIndex, frameMacros.frameVoiLut);
  const measureSources = frameAttributeSources(dataSet, frameIndex, frameMacros.pixelMeasures);
  return {
    transferSyntaxUid: syntax.uid,
    transferSyntax: syntax.name,
    lossyCompressed: syntax.lossy || text(dataSet, 'x00282110') === '01' ? 1 : 0,
    storedPhotometric: module.photometric,
    bitsAllocated: module.bitsAllocated,
    bitsStored: module.bitsStored,
    pixelRepresentation: module.pixelRepresentation,
    rescaleSlope: slope,
    rescaleIntercept: intercept,
    rescaleType: firstPresent(rescaleSources, 'x00281054', text),
    windowCenter: firstPresent(windowSources, 'x00281050', firstDecimal),
    windowWidth: firstPresent(windowSources, 'x00281051', firstDecimal),
    voiLutFunction: firstPresent(windowSources, 'x00281056', text),
    modality: text(dataSet, 'x00080060'),
    patientId: text(dataSet, 'x00100020'),
    studyInstanceUid: text(dataSet, 'x0020000d'),
    seriesInstanceUid: text(dataSet, 'x0020000e'),
    sopInstanceUid: text(dataSet, 'x00080018'),
    instanceNumber: dataSet.intString('x00200013') ?? null,
    pixelSpacing: firstPresent(measureSources, 'x00280030', decimals) ?? decimals(dataSet, 'x00181164'),
    sliceThickness: firstPresent(measureSources, 'x00180050', firstDecimal),
    imagePositionPatient: firstPresent(frameAttributeSources(dataSet, frameIndex, frameMacros.planePosition), 'x00200032', decimals),
    imageOrientationPatient: firstPresent(frameAttributeSources(dataSet, frameIndex, frameMacros.planeOrientation), 'x00200037', decimals),
    frameCount: module.frames,
  };
}

/** Samples stored per frame: native YBR_FULL_422 keeps two luma samples per chroma pair (4 per 2 pixels). */
function frameSampleCount(module: DicomPixelModule): number {
  if (module.photometric === 'YBR_FULL_422') return module.rows * module.columns * 2;
  return module.rows * module.columns * module.samplesPerPixel;
}

/** Y0 Y1 Cb Cr per horizontal pixel pair to one Y Cb Cr triple per pixel. */
function expandYbr422(samples: CodecFrame['samples'], module: DicomPixelModule): Uint8Array {
  const output = new Uint8Array(module.rows * module.columns * 3);
  const pairsPerRow = Math.ceil(module.columns / 2);
  for (let row = 0; row < module.rows; row++) {
    for (let pair = 0; pair < pairsPerRow; pair++) {
      const at = (row * pairsPerRow + pair) * 4;
      for (let half = 0; half < 2 && pair * 2 + half < module.columns; half++) {
        const pixel = row * module.columns + pair * 2 + half;
        output.set([samples[at + half] as number, samples[at + 2] as number, samples[at + 3] as number], pixel * 3);
      }
    }
  }
  return output;
}

/** One frame of native (uncompressed) pixel data, read with the data set's byte order. */
function readNativeFrame(dataSet: DataSet, element: Element, module: DicomPixelModule, frameIndex: number, littleEndian: boolean, fileName: string): CodecFrame {
  const samples = frameSampleCount(module);
  const bytes = dataSet.byteArray;
  if (module.bitsAllocated === 1) {
    // Bit-packed frames (segmentations) may start mid-byte.
    const firstBit = frameIndex * samples;
    if (element.dataOffset + Math.ceil((firstBit + samples) / 8) > bytes.length) throw truncated(fileName, frameIndex);
    const output = new Uint8Array(samples);
    for (let index = 0; index < samples; index++) {
      const bit = firstBit + index;
      output[index] = ((bytes[element.dataOffset + (bit >> 3)] as number) >> (bit & 7)) & 1;
    }
    return { samples: output, convertedToRgb: false };
  }
  const bytesPerSample = module.bitsAllocated / 8;
  if (bytesPerSample !== 1 && bytesPerSample !== 2 && bytesPerSample !== 4) throw new PixelDecodeError(fileName, `native pixel data with ${module.bitsAllocated} bits allocated is not supported`);
  const start = element.dataOffset + frameIndex * samples * bytesPerSample;
  if (start + samples * bytesPerSample > bytes.length) throw truncated(fileName, frameIndex);
  if (bytesPerSample === 1) return { samples: Uint8Array.prototype.slice.call(bytes, start, start + samples), convertedToRgb: false };
  if (bytesPerSample === 4) {
    const wide = new DataView(bytes.buffer, bytes.byteOffset + start, samples * 4);
    const output = new Uint32Array(samples);
    for (let index = 0; index < samples; index++) output[index] = wide.getUint32(index * 4, littleEndian);
    return { samples: output, convertedToRgb: false };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, samples * 2);
  const output = new Uint16Array(samples);
  for (let index = 0; index < samples; index++) output[index] = view.getUint16(index * 2, littleEndian);
  return { samples: output, convertedToRgb: false };
}

/** One frame of Float (32-bit) or Double Float (64-bit) Pixel Data, kept as Float32. */
function readFloatFrame(dataSet: DataSet, element: Element, kind: 'float' | 'double', module: DicomPixelModule, frameIndex: number, littleEndian: boolean, fileName: string): CodecFrame {
  const samples = module.rows * module.columns * module.samplesPerPixel;
  const bytesPerSample = kind === 'float' ? 4 : 8;
  const start = element.dataOffset + frameIndex * samples * bytesPerSample;
  if (start + samples * bytesPerSample > dataSet.byteArray.length) throw truncated(fileName, frameIndex);
  const view = new DataView(dataSet.byteArray.buffer, dataSet.byteArray.byteOffset + start, samples * bytesPerSample);
  const output = new Float32Array(samples);
  for (let index = 0; index < samples; index++) output[index] = kind === 'float' ? view.getFloat32(index * 4, littleEndian) : view.getFloat64(index * 8, littleEndian);
  return { samples: output, convertedToRgb: false };
}

function truncated(fileName: string, frameIndex: number): PixelDecodeError {
  return new PixelDecodeError(fileName, `DICOM pixel data is truncated (frame ${frameIndex} extends past the end of the file)`);
}

/** The compressed bytes of each frame, whatever the fragment / offset-table layout. */
function encapsulatedFrames(dataSet: DataSet, element: Element, module: DicomPixelModule, fileName: string): Uint8Array[] {
  const fragments = element.fragments ?? [];
  if (fragments.length === 0) throw new PixelDecodeError(fileName, 'encapsulated pixel data has no fragments');
  for (const fragment of fragments) {
    if (fragment.position + fragment.length > dataSet.byteArray.length) throw new PixelDecodeError(fileName, 'encapsulated pixel data is truncated (a fragment extends past the end of the file)');
  }
  const read = (frameIndex: number): Uint8Array => {
    if (module.frames === 1) return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, element, 0, fragments.length);
    if ((element.basicOffsetTable ?? []).length === module.frames) return dicomParser.readEncapsulatedImageFrame(dataSet, element, frameIndex);
    if (fragments.length === module.frames) return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, element, frameIndex, 1);
    // No offset table and several fragments per frame: JPEG frames can be told apart by their start-of-image markers.
    const offsets = dicomParser.createJPEGBasicOffsetTable(dataSet, element);
    return dicomParser.readEncapsulatedImageFrame(dataSet, element, frameIndex, offsets);
  };
  const frames: Uint8Array[] = [];
  for (let frameIndex = 0; frameIndex < module.frames; frameIndex++) {
    try {
      frames.push(read(frameIndex));
    } catch (thrown) {
      throw new PixelDecodeError(fileName, `cannot find frame ${frameIndex} in the compressed pixel data: ${describeFrameLocationProblem(describeThrown(thrown))}`, { cause: thrown });
    }
  }
  return frames;
}

/** Bits that carry the value: Bits Stored, or fewer where the codec's stream says so (8-bit JPEG 2000 in a 16-bit data set). */
function valueBits(module: DicomPixelModule, frame: CodecFrame): number {
  return frame.precision ? Math.min(module.bitsStored, frame.precision) : module.bitsStored;
}

/**
 * Codec samples to stored values: keep only the value bits, sign-extend
 * signed data (pixel representation 1) into Int16. 32-bit integers (RT Dose)
 * become Float32 (exact up to 2^24); floats pass through.
 */
function storedValues(samples: CodecFrame['samples'], module: DicomPixelModule, bits: number): PixelArray {
  if (samples instanceof Float32Array) return samples;
  if (samples instanceof Uint32Array) {
    const output = new Float32Array(samples.length);
    const shift = 32 - bits;
    for (let index = 0; index < samples.length; index++) {
      const value = samples[index] as number;
      output[index] = module.pixelRepresentation === 1 ? (value << shift) >> shift : shift === 0 ? value : (value << shift) >>> shift;
    }
    return output;
  }
  if (module.bitsAllocated === 1) return samples;
  if (module.pixelRepresentation === 1) {
    const output = new Int16Array(samples.length);
    const shift = 32 - bits;
    for (let index = 0; index < samples.length; index++) output[index] = ((samples[index] as number) << shift) >> shift;
    return output;
  }
  if (samples instanceof Int16Array) return new Uint16Array(samples.buffer, samples.byteOffset, samples.length);
  if (bits >= (samples instanceof Uint8Array ? 8 : 16)) return samples;
  const mask = (1 << bits) - 1;
  const output = samples instanceof Uint8Array ? new Uint8Array(samples.length) : new Uint16Array(samples.length);
  for (let index = 0; index < samples.length; index++) output[index] = (samples[index] as number) & mask;
  return output;
}

/** The stored values a data set can hold, whatever one frame holds: decides one output type for a whole series. */
function declaredStoredRange(module: DicomPixelModule, bits: number): [number, number] {
  return module.pixelRepresentation === 1 ? [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1] : [0, 2 ** bits - 1];
}

function planarToInterleaved(samples: PixelArray, pixels: number): PixelArray {
  const output = new (samples.constructor as new (length: number) => PixelArray)(samples.length);
  for (let pixel = 0; pixel < pixels; pixel++) {
    for (let channel = 0; channel < 3; channel++) output[pixel * 3 + channel] = samples[channel * pixels + pixel] as number;
  }
  return output;
}

/** YCbCr (full range, as in YBR_FULL) to RGB, for native colour data. */
function ybrFullToRgb(samples: PixelArray): Uint8Array {
  const output = new Uint8Array(samples.length);
  const clamp = (value: number): number => (value < 0 ? 0 : value > 255 ? 255 : Math.round(value));
  for (let index = 0; index < samples.length; index += 3) {
    const y = samples[index] as number;
    const cb = (samples[index + 1] as number) - 128;
    const cr = (samples[index + 2] as number) - 128;
    output[index] = clamp(y + 1.402 * cr);
    output[index + 1] = clamp(y - 0.344136 * cb - 0.714136 * cr);
    output[index + 2] = clamp(y + 1.772 * cb);
  }
  return output;
}

/**
 * Every frame of a DICOM file as its own image: stored values with the
 * modality rescale applied (CT in HU), window and identity kept as metadata.
 */
export async function decodeDicomFile(bytes: Uint8Array, fileName: string): Promise<DecodedImage[]> {
  try {
    return await decodeDicomFrames(bytes, fileName);
  } catch (thrown) {
    return inUserWords(fileName, () => {
      throw thrown;
    });
  }
}

/** Reads of attributes after the parse (strings, numbers) can still throw parser errors on damaged files: reword them. */
function inUserWords<T>(fileName: string, run: () => T): T {
  try {
    return run();
  } catch (thrown) {
    if (thrown instanceof PixelDecodeError) throw thrown;
    const message = describeThrown(thrown);
    if (/dicomParser|ByteArrayParser/i.test(message)) throw new PixelDecodeError(fileName, describeParseProblem(message), { cause: thrown });
    throw thrown;
  }
}

async function decodeDicomFrames(bytes: Uint8Array, fileName: string): Promise<DecodedImage[]> {
  const dataSet = parseDicomDataSet(bytes, fileName, false);
  const syntax = requireTransferSyntax(transferSyntaxOf(dataSet), fileName);
  const module = readDicomPixelModule(dataSet, fileName);
  const pixelData = pixelDataOf(dataSet);
  if (!pixelData) throw new PixelDecodeError(fileName, 'DICOM has image attributes (Rows, Columns) but no pixel data: the file may be cut short, or it describes an image stored elsewhere');
  const { element, kind } = pixelData;
  const encapsulated = syntax.encoding !== 'native';
  if (kind !== 'integer' && encapsulated) throw new PixelDecodeError(fileName, `float pixel data cannot be compressed, but the transfer syntax is ${syntax.name}`);
  if (encapsulated && !element.encapsulatedPixelData) throw new PixelDecodeError(fileName, `transfer syntax ${syntax.name} but the pixel data is not encapsulated`);
  if (!encapsulated && element.dataOffset + element.length > dataSet.byteArray.length) {
    throw new PixelDecodeError(fileName, `DICOM pixel data is truncated (${dataSet.byteArray.length - element.dataOffset} of ${element.length} bytes present)`);
  }
  const grey = module.samplesPerPixel === 1 && module.photometric !== 'PALETTE COLOR';
  const modalityLut = grey && kind === 'integer' ? readModalityLut(dataSet, module.pixelRepresentation === 1, fileName) : null;
  const doseGridScaling = firstDecimal(dataSet, doseGridScalingTag);
  const encodedFrames = encapsulated ? encapsulatedFrames(dataSet, element, module, fileName) : [];
  const pixels = module.rows * module.columns;
  const images: DecodedImage[] = [];
  for (let frameIndex = 0; frameIndex < module.frames; frameIndex++) {
    let frame: CodecFrame;
    if (kind !== 'integer') {
      frame = readFloatFrame(dataSet, element, kind, module, frameIndex, syntax.littleEndian, fileName);
    } else if (encapsulated) {
      const encoded = encodedFrames[frameIndex] as Uint8Array;
      try {
        frame = await decodeEncapsulatedFrame(syntax.encoding, encoded, module, fileName);
      } catch (thrown) {
        if (thrown instanceof PixelDecodeError) throw thrown;
        throw new PixelDecodeError(fileName, `${syntax.name} frame ${frameIndex} cannot be decoded: ${describeThrown(thrown)}`, { cause: thrown });
      }
    } else {
      frame = readNativeFrame(dataSet, element, module, frameIndex, syntax.littleEndian, fileName);
      if (module.photometric === 'YBR_FULL_422') frame = { samples: expandYbr422(frame.samples, module), convertedToRgb: false };
    }
    const { slope, intercept } = frameRescale(dataSet, frameIndex);
    const bits = valueBits(module, frame);
    let data = storedValues(frame.samples, module, bits);
    if (data.length !== pixels * module.samplesPerPixel) {
      throw new PixelDecodeError(fileName, `frame ${frameIndex} decoded to ${data.length} samples, expected ${pixels * module.samplesPerPixel}`);
    }
    let channels = module.samplesPerPixel;
    const metadata = dicomMetadata(dataSet, frameIndex, module, syntax);
    if (module.samplesPerPixel === 3) {
      // RLE and JPEG codecs hand back pixel-interleaved samples whatever the attribute says; deflated frames keep the native layout.
      if ((!encapsulated || syntax.encoding === 'deflated-frames') && module.planarConfiguration === 1) data = planarToInterleaved(data, pixels);
      if (!frame.convertedToRgb && module.photometric.startsWith('YBR_FULL')) data = ybrFullToRgb(data);
    } else if (module.photometric === 'PALETTE COLOR') {
      data = applyPaletteLookup(dataSet, data, module.pixelRepresentation === 1, fileName);
      channels = 3;
    } else if (modalityLut) {
      // A Modality LUT replaces the rescale (PS3.3 C.11.1: one or the other).
      data = applyModalityLut(data, modalityLut);
      Object.assign(metadata, { modalityLut: modalityLut.explanation ?? modalityLut.type ?? 'applied', modalityLutType: modalityLut.type, rescaleSlope: 1, rescaleIntercept: 0 });
    } else {
      data = applyRescale(data, slope, intercept, kind === 'integer' ? declaredStoredRange(module, bits) : undefined);
      if (doseGridScaling !== null && doseGridScaling !== 1) {
        data = applyRescale(data, doseGridScaling, 0);
        Object.assign(metadata, { doseGridScaling, doseUnits: text(dataSet, 'x30040002') });
      }
    }
    if (kind !== 'integer') metadata.pixelData = kind === 'float' ? 'Float Pixel Data (float32)' : 'Double Float Pixel Data (read as float32)';
    if (module.bitsAllocated === 32 && kind === 'integer') metadata.pixelData = '32-bit integers (read as float32)';
    images.push({
      width: module.columns,
      height: module.rows,
      channels: channels as DecodedImage['channels'],
      bitDepth: kind === 'integer' ? bits : 32,
      data,
      photometric: decodedPhotometric(module),
      frameIndex,
      metadata,
    });
  }
  return images;
}
