import type { PixelFormat } from './detectPixelFormat';

/**
 * What an importer needs to catalogue a file, read from the header alone
 * where the format allows it (no pixel decoding).
 */
export interface ImageHeader {
  format: PixelFormat;
  width: number;
  height: number;
  /** samples per pixel as decoded (a palette image counts its expanded colour channels) */
  channels: number;
  /** bits per sample as stored */
  bitDepth: number;
  /** images this file decodes to: DICOM frames, TIFF pages, GIF frames, NIfTI slices along the default axis */
  frames: number;
  photometric: string;
  modality: string | null;
  /** DICOM PatientID: the group key that keeps one patient on one side of a split */
  patientId: string | null;
  studyInstanceUid: string | null;
  seriesInstanceUid: string | null;
  /** DICOM transfer syntax UID (null for other formats) */
  transferSyntaxUid: string | null;
}

export function plainHeader(
  format: PixelFormat,
  fields: Pick<ImageHeader, 'width' | 'height' | 'channels' | 'bitDepth' | 'frames' | 'photometric'>,
): ImageHeader {
  return { format, ...fields, modality: null, patientId: null, studyInstanceUid: null, seriesInstanceUid: null, transferSyntaxUid: null };
}
