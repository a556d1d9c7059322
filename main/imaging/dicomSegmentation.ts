/**
 * DICOM Segmentation Storage (PS3.3 A.51, C.8.20): segments with their labels
 * and recommended colours, and per source image a label map (pixel = segment
 * number, 0 = none) built from the SEG's binary or fractional frames.
 */
import type { DataSet } from 'dicom-parser';
import { decimals, parseDicomDataSet, text } from './dicomDataSet';
import { decodeDicomFile } from './dicomFile';
import type { ImageGeometry } from './dicomRtStruct';
import { checkPixelBudget } from './pixelBudget';
import { describeThrown, PixelDecodeError } from './pixelDecodeError';

export const segmentationStorageUid = '1.2.840.10008.5.1.4.1.1.66.4';

export interface DicomIdentity {
  sopClassUid: string | null;
  sopInstanceUid: string | null;
  frames: number;
  /** where the pixel grid lies in the patient (for contours in patient coordinates), or null when the header does not say */
  geometry: ImageGeometry | null;
}

/** SOP class and instance of a DICOM file, from its header (cheap: stops before the pixel data). */
export function readDicomIdentity(bytes: Uint8Array, fileName: string): DicomIdentity {
  try {
    const dataSet = parseDicomDataSet(bytes, fileName, true);
    const frames = dataSet.intString('x00280008');
    const [rows, columns] = [dataSet.uint16('x00280010'), dataSet.uint16('x00280011')];
    const [position, orientation, spacing] = [decimals(dataSet, 'x00200032'), decimals(dataSet, 'x00200037'), decimals(dataSet, 'x00280030')];
    const geometry = rows && columns && position?.length === 3 && orientation?.length === 6 && spacing?.length === 2 ? { rows, columns, position, orientation, spacing } : null;
    return { sopClassUid: text(dataSet, 'x00080016'), sopInstanceUid: text(dataSet, 'x00080018'), frames: frames !== undefined && frames > 0 ? frames : 1, geometry };
  } catch (thrown) {
    if (thrown instanceof PixelDecodeError) throw thrown;
    throw new PixelDecodeError(fileName, `DICOM header cannot be read: ${describeThrown(thrown)}`, { cause: thrown });
  }
}

export interface SegmentInfo {
  number: number;
  label: string;
  /** sRGB of the Recommended Display CIELab Value, '#rrggbb', or null when the SEG gives none */
  colour: string | null;
}

export interface SegmentationLabelMap {
  /** the source image: SOP Instance UID and frame (1-based, null for single-frame images) */
  sopInstanceUid: string;
  frameNumber: number | null;
  width: number;
  height: number;
  /** segment number per pixel, 0 where no segment; a later segment wins where segments overlap */
  segmentNumbers: Uint8Array;
}

export interface DicomSegmentation {
  segmentationType: 'BINARY' | 'FRACTIONAL';
  segments: SegmentInfo[];
  labelMaps: SegmentationLabelMap[];
}

/** CIELab as DICOM scales it (PS3.3 C.10.7.1.1, D50) to sRGB. */
export function cieLabToSrgb(scaled: readonly number[]): string | null {
  if (scaled.length !== 3) return null;
  const lightness = ((scaled[0] as number) * 100) / 65535;
  const a = ((scaled[1] as number) * 255) / 65535 - 128;
  const b = ((scaled[2] as number) * 255) / 65535 - 128;
  const fy = (lightness + 16) / 116;
  const inverse = (t: number): number => (t > 6 / 29 ? t ** 3 : 3 * (6 / 29) ** 2 * (t - 4 / 29));
  const [x, y, z] = [0.9642 * inverse(fy + a / 500), inverse(fy), 0.8249 * inverse(fy - b / 200)];
  // XYZ (D50) to linear sRGB with the Bradford-adapted matrix, then the sRGB curve.
  const linear = [3.1338561 * x - 1.6168667 * y - 0.4906146 * z, -0.9787684 * x + 1.9161415 * y + 0.033454 * z, 0.0719453 * x - 0.2289914 * y + 1.4052427 * z];
  const encode = (value: number): number => {
    const clamped = Math.min(Math.max(value, 0), 1);
    return Math.round(255 * (clamped <= 0.0031308 ? 12.92 * clamped : 1.055 * clamped ** (1 / 2.4) - 0.055));
  };
  return `#${linear.map((value) => encode(value).toString(16).padStart(2, '0')).join('')}`;
}

function sequenceItems(dataSet: DataSet, tag: string): DataSet[] {
  return (dataSet.elements[tag]?.items ?? []).map((item) => item.dataSet).filter((item): item is DataSet => item !== undefined);
}

function readSegments(dataSet: DataSet, fileName: string): SegmentInfo[] {
  const segments = sequenceItems(dataSet, 'x00620002').map((item) => {
    const number = item.uint16('x00620004');
    if (!number) throw new PixelDecodeError(fileName, 'DICOM-SEG has a segment without a Segment Number');
    const lab = [0, 1, 2].map((index) => item.uint16('x0062000d', index)).filter((value): value is number => value !== undefined);
    return { number, label: text(item, 'x00620005') ?? `segment ${number}`, colour: cieLabToSrgb(lab) };
  });
  if (segments.length === 0) throw new PixelDecodeError(fileName, 'DICOM-SEG has no Segment Sequence (no segments to import)');
  if (segments.some((segment) => segment.number > 255)) throw new PixelDecodeError(fileName, 'DICOM-SEG has segment numbers above 255, more than a class mask holds');
  return segments;
}

interface FrameReference {
  segmentNumber: number;
  sopInstanceUid: string;
  frameNumber: number | null;
}

/** Per SEG frame: its segment (Segment Identification) and source image (Derivation Image / Source Image Sequence). */
function frameReferences(dataSet: DataSet, frames: number, fileName: string): FrameReference[] {
  const perFrame = sequenceItems(dataSet, 'x52009230');
  if (perFrame.length !== frames) throw new PixelDecodeError(fileName, `DICOM-SEG has ${frames} frames but ${perFrame.length} per-frame descriptions`);
  const shared = sequenceItems(dataSet, 'x52009229')[0];
  return perFrame.map((group, frameIndex) => {
    const identification = sequenceItems(group, 'x0062000a')[0] ?? (shared ? sequenceItems(shared, 'x0062000a')[0] : undefined);
    const segmentNumber = identification?.uint16('x0062000b');
    if (!segmentNumber) throw new PixelDecodeError(fileName, `DICOM-SEG frame ${frameIndex + 1} does not say which segment it is`);
    const source = sequenceItems(group, 'x00089124').flatMap((derivation) => sequenceItems(derivation, 'x00082112'))[0];
    const sopInstanceUid = source ? text(source, 'x00081155') : null;
    if (!sopInstanceUid) throw new PixelDecodeError(fileName, `DICOM-SEG frame ${frameIndex + 1} does not name its source image (no Derivation Image Sequence); matching by position is not supported`);
    const frameNumber = source?.intString('x00081160');
    return { segmentNumber, sopInstanceUid, frameNumber: frameNumber !== undefined && frameNumber > 0 ? frameNumber : null };
  });
}

/**
 * Reads a Segmentation Storage object: its segments and one label map per
 * source image frame it covers. Fractional frames count where the value is at
 * least half the maximum (probability or occupancy >= 0.5).
 */
export async function readDicomSegmentation(bytes: Uint8Array, fileName: string): Promise<DicomSegmentation> {
  const dataSet = parseDicomDataSet(bytes, fileName, false);
  if (text(dataSet, 'x00080016') !== segmentationStorageUid) throw new PixelDecodeError(fileName, 'not a DICOM Segmentation Storage object');
  const segmentationType = text(dataSet, 'x00620001') === 'FRACTIONAL' ? 'FRACTIONAL' : 'BINARY';
  const segments = readSegments(dataSet, fileName);
  try {
    checkPixelBudget(bytes, fileName);
  } catch (thrown) {
    throw new PixelDecodeError(fileName, describeThrown(thrown), { cause: thrown });
  }
  const frames = await decodeDicomFile(bytes, fileName);
  const references = frameReferences(dataSet, frames.length, fileName);
  const maxFractional = dataSet.uint16('x00620010') ?? 255;
  const threshold = segmentationType === 'FRACTIONAL' ? maxFractional / 2 : 1;
  const known = new Set(segments.map((segment) => segment.number));
  const maps = new Map<string, SegmentationLabelMap>();
  // Frames in segment-number order, so the overlap rule (later segment wins) does not depend on frame order.
  const order = references.map((reference, index) => ({ reference, index })).sort((a, b) => a.reference.segmentNumber - b.reference.segmentNumber);
  for (const { reference, index } of order) {
    if (!known.has(reference.segmentNumber)) throw new PixelDecodeError(fileName, `DICOM-SEG frame ${index + 1} names segment ${reference.segmentNumber}, which the Segment Sequence does not list`);
    const frame = frames[index]!;
    const key = `${reference.sopInstanceUid}#${reference.frameNumber ?? ''}`;
    let map = maps.get(key);
    if (!map) {
      map = { sopInstanceUid: reference.sopInstanceUid, frameNumber: reference.frameNumber, width: frame.width, height: frame.height, segmentNumbers: new Uint8Array(frame.width * frame.height) };
      maps.set(key, map);
    }
    for (let pixel = 0; pixel < map.segmentNumbers.length; pixel++) {
      if ((frame.data[pixel] as number) >= threshold) map.segmentNumbers[pixel] = reference.segmentNumber;
    }
  }
  return { segmentationType, segments, labelMaps: [...maps.values()] };
}
