/**
 * Pixels as decoded from any source format, before any intensity policy.
 * Depth is kept: 16-bit sources stay 16-bit (Uint16Array / Int16Array),
 * modalities with real-valued intensities (CT in HU after rescale, NIfTI with
 * scl_slope) use Float32Array. Windowing and normalisation are metadata,
 * applied later (previews, training cache).
 */
export type PixelArray = Uint8Array | Uint16Array | Int16Array | Float32Array;

export interface DecodedImage {
  width: number;
  height: number;
  /** interleaved samples per pixel: 1 (grey), 3 (RGB), 4 (RGBA) */
  channels: 1 | 2 | 3 | 4;
  /** bits per sample as stored in the source (8, 12, 16, 32) */
  bitDepth: number;
  data: PixelArray;
  /** DICOM PhotometricInterpretation or the codec's equivalent (MONOCHROME2, RGB, PALETTE...) */
  photometric: string;
  /** frame of a multi-frame DICOM / page of a TIFF / slice of a NIfTI volume */
  frameIndex?: number;
  /**
   * format-specific facts worth keeping: window centre/width, pixel spacing, modality, orientation...
   * Keys the pixel importers write: windowCenter, windowWidth (DICOM, in rescaled units),
   * rescaleSlope, rescaleIntercept (already applied to data), modality, patientId,
   * studyInstanceUid, seriesInstanceUid, pixelSpacing [column, row], transferSyntaxUid,
   * lossyCompressed (0/1), pixelData (float / 32-bit sources), doseGridScaling, modalityLut;
   * NIfTI: orientation (e.g. "RAS"), slicePlane, sliceIndex, timeIndex, inPlane, columnDirection,
   * rowDirection, flippedColumns, flippedRows.
   * MONOCHROME1 data is kept as stored: photometric says so, and displays invert after windowing.
   */
  metadata?: Record<string, string | number | number[] | null>;
}
