import type { DataSet } from 'dicom-parser';
import { PixelDecodeError } from './pixelDecodeError';

/** The Image Pixel module attributes that decide how frames are laid out. */
export interface DicomPixelModule {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  pixelRepresentation: 0 | 1;
  photometric: string;
  /** 0: RGBRGB..., 1: RRR...GGG...BBB... */
  planarConfiguration: 0 | 1;
  frames: number;
}

export function readDicomPixelModule(dataSet: DataSet, fileName: string): DicomPixelModule {
  const rows = dataSet.uint16('x00280010');
  const columns = dataSet.uint16('x00280011');
  if (!rows || !columns) {
    const modality = dataSet.string('x00080060') ?? 'unknown';
    throw new PixelDecodeError(fileName, `DICOM has no image (no Rows/Columns; modality ${modality}, e.g. a report or waveform)`);
  }
  const bitsAllocated = dataSet.uint16('x00280100') ?? 16;
  const frames = dataSet.intString('x00280008');
  return {
    rows,
    columns,
    samplesPerPixel: dataSet.uint16('x00280002') ?? 1,
    bitsAllocated,
    bitsStored: dataSet.uint16('x00280101') ?? bitsAllocated,
    pixelRepresentation: dataSet.uint16('x00280103') === 1 ? 1 : 0,
    photometric: (dataSet.string('x00280004') ?? 'MONOCHROME2').trim().toUpperCase(),
    planarConfiguration: dataSet.uint16('x00280006') === 1 ? 1 : 0,
    frames: frames !== undefined && frames > 0 && !Number.isNaN(frames) ? frames : 1,
  };
}
