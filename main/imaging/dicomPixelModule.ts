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
  /** Rows/Columns were missing or 0 in the data set and come from the compressed frame's header */
  sizeFromCodestream: boolean;
}

/** Size from the first compressed frame's own header, for data sets whose Rows/Columns are missing or 0. */
export type EncodedSizeReader = () => { width: number; height: number; components: number } | null;

export function readDicomPixelModule(dataSet: DataSet, fileName: string, encodedSize?: EncodedSizeReader): DicomPixelModule {
  let rows = dataSet.uint16('x00280010');
  let columns = dataSet.uint16('x00280011');
  let sizeFromCodestream = false;
  let codestreamComponents = 1;
  if ((!rows || !columns) && encodedSize) {
    const size = encodedSize();
    if (size && size.width > 0 && size.height > 0) {
      rows = size.height;
      columns = size.width;
      sizeFromCodestream = true;
      codestreamComponents = size.components;
    }
  }
  if (!rows || !columns) {
    const modality = dataSet.string('x00080060') ?? 'unknown';
    throw new PixelDecodeError(fileName, `DICOM has no image (no Rows/Columns; modality ${modality}, e.g. a report or waveform)`);
  }
  const bitsAllocated = dataSet.uint16('x00280100') ?? 16;
  const frames = dataSet.intString('x00280008');
  return {
    rows,
    columns,
    samplesPerPixel: dataSet.uint16('x00280002') ?? codestreamComponents,
    bitsAllocated,
    bitsStored: dataSet.uint16('x00280101') ?? bitsAllocated,
    pixelRepresentation: dataSet.uint16('x00280103') === 1 ? 1 : 0,
    photometric: (dataSet.string('x00280004') ?? 'MONOCHROME2').trim().toUpperCase(),
    planarConfiguration: dataSet.uint16('x00280006') === 1 ? 1 : 0,
    frames: frames !== undefined && frames > 0 && !Number.isNaN(frames) ? frames : 1,
    sizeFromCodestream,
  };
}
