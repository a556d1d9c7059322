import { constants, gunzipSync } from 'node:zlib';
import * as nifti from 'nifti-reader-js';
import type { DecodedImage, PixelArray } from './decodedImage';
import type { ImageHeader } from './imageHeader';
import { axisCodesFromAffine, inPlaneLayout, voxelAxisForPlane, type AxisCode, type NiftiInPlane, type SliceAxisName } from './niftiOrientation';
import { describeThrown, PixelDecodeError, withFileErrors } from './pixelDecodeError';
import { applyRescale } from './pixelValues';

type NiftiHeader = nifti.NIFTI1 | nifti.NIFTI2;

// NIFTI2 objects lack the name lookup NIFTI1 has, so keep our own.
const datatypeNames: Record<number, string> = {
  1: 'binary', 2: 'uint8', 4: 'int16', 8: 'int32', 16: 'float32', 32: 'complex64', 64: 'float64', 128: 'rgb24',
  256: 'int8', 512: 'uint16', 768: 'uint32', 1024: 'int64', 1280: 'uint64', 1536: 'float128', 1792: 'complex128', 2048: 'complex256', 2304: 'rgba32',
};

function datatypeName(code: number): string {
  return datatypeNames[code] ?? `code ${code}`;
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function exactBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function gunzip(bytes: Uint8Array, fileName: string, partial: boolean): Uint8Array {
  try {
    // A sync flush lets us inflate just the first kilobytes for a header read.
    return gunzipSync(bytes, partial ? { finishFlush: constants.Z_SYNC_FLUSH } : {});
  } catch (thrown) {
    throw new PixelDecodeError(fileName, `gzip stream is corrupt or truncated: ${describeThrown(thrown)}`, { cause: thrown });
  }
}

function parseHeader(buffer: ArrayBuffer, fileName: string): NiftiHeader {
  if (!nifti.isNIFTI(buffer)) throw new PixelDecodeError(fileName, 'not a NIfTI-1/-2 file (no NIfTI magic in the header)');
  return withFileErrors(fileName, 'NIfTI header is unreadable', () => nifti.readHeader(buffer));
}

/** The header of a .nii or .nii.gz, inflating only the first kilobytes of a gzip'd file. */
function headerOnly(bytes: Uint8Array, fileName: string): NiftiHeader {
  if (!isGzip(bytes)) return parseHeader(exactBuffer(bytes), fileName);
  const head = gunzip(bytes.subarray(0, Math.min(bytes.length, 16_384)), fileName, true);
  const full = head.length >= 544 ? head : gunzip(bytes, fileName, false);
  return parseHeader(exactBuffer(full), fileName);
}

interface VolumeShape {
  sizes: [number, number, number];
  timePoints: number;
}

function volumeShape(header: NiftiHeader, fileName: string): VolumeShape {
  const dims = header.dims;
  const rank = dims[0] ?? 0;
  if (rank < 2 || rank > 7) throw new PixelDecodeError(fileName, `NIfTI has ${rank} dimensions (2 to 7 supported)`);
  const size = (axis: number): number => (axis <= rank ? Math.max(1, dims[axis] ?? 1) : 1);
  let timePoints = 1;
  for (let axis = 4; axis <= rank; axis++) timePoints *= size(axis);
  return { sizes: [size(1), size(2), size(3)], timePoints };
}

/** Voxel-to-world affine from the sform (preferred, as nibabel does) or qform; null when neither is set. */
function affineOf(header: NiftiHeader): number[][] | null {
  if (header.sform_code > 0) return header.affine;
  if (header.qform_code > 0) return header.getQformMat();
  return null;
}

function orientationOf(header: NiftiHeader): [AxisCode, AxisCode, AxisCode] | null {
  const affine = affineOf(header);
  return affine ? axisCodesFromAffine(affine) : null;
}

export function readNiftiHeader(bytes: Uint8Array, fileName: string, plane: SliceAxisName = 'axial', inPlane: NiftiInPlane = 'display'): ImageHeader {
  const header = headerOnly(bytes, fileName);
  const shape = volumeShape(header, fileName);
  const codes = orientationOf(header);
  const sliceAxis = voxelAxisForPlane(plane, codes);
  const { columnAxis, rowAxis } = inPlaneLayout(plane, sliceAxis, codes, inPlane);
  const rgb = header.datatypeCode === nifti.NIFTI1.TYPE_RGB24;
  return {
    format: 'nifti',
    width: shape.sizes[columnAxis] as number,
    height: shape.sizes[rowAxis] as number,
    channels: rgb ? 3 : 1,
    bitDepth: rgb ? 8 : header.numBitsPerVoxel,
    frames: (shape.sizes[sliceAxis] as number) * shape.timePoints,
    photometric: rgb ? 'RGB' : 'MONOCHROME2',
    modality: null,
    patientId: null,
    studyInstanceUid: null,
    seriesInstanceUid: null,
    transferSyntaxUid: null,
  };
}

/**
 * Voxels as a typed array in native byte order, keeping the stored type
 * where a PixelArray can (int8 widens to Int16, 32/64-bit to Float32).
 */
function voxelArray(raw: ArrayBuffer, header: NiftiHeader, count: number, fileName: string): { data: PixelArray; channels: 1 | 3 } {
  const view = new DataView(raw);
  const little = header.littleEndian;
  const codes = nifti.NIFTI1;
  const bytesPerVoxel = header.numBitsPerVoxel / 8;
  if (raw.byteLength < count * bytesPerVoxel) {
    throw new PixelDecodeError(fileName, `NIfTI voxel data is truncated (${raw.byteLength} of ${count * bytesPerVoxel} bytes)`);
  }
  const fill = <T extends PixelArray>(output: T, read: (offset: number) => number, step: number): T => {
    for (let index = 0; index < count; index++) output[index] = read(index * step);
    return output;
  };
  switch (header.datatypeCode) {
    case codes.TYPE_UINT8:
      return { data: new Uint8Array(raw, 0, count).slice(), channels: 1 };
    case codes.TYPE_RGB24:
      return { data: new Uint8Array(raw, 0, count * 3).slice(), channels: 3 };
    case codes.TYPE_INT8:
      return { data: fill(new Int16Array(count), (at) => view.getInt8(at), 1), channels: 1 };
    case codes.TYPE_INT16:
      return { data: fill(new Int16Array(count), (at) => view.getInt16(at, little), 2), channels: 1 };
    case codes.TYPE_UINT16:
      return { data: fill(new Uint16Array(count), (at) => view.getUint16(at, little), 2), channels: 1 };
    case codes.TYPE_INT32:
      return { data: fill(new Float32Array(count), (at) => view.getInt32(at, little), 4), channels: 1 };
    case codes.TYPE_UINT32:
      return { data: fill(new Float32Array(count), (at) => view.getUint32(at, little), 4), channels: 1 };
    case codes.TYPE_FLOAT32:
      return { data: fill(new Float32Array(count), (at) => view.getFloat32(at, little), 4), channels: 1 };
    case codes.TYPE_FLOAT64:
      return { data: fill(new Float32Array(count), (at) => view.getFloat64(at, little), 8), channels: 1 };
    case codes.TYPE_INT64:
      return { data: fill(new Float32Array(count), (at) => Number(view.getBigInt64(at, little)), 8), channels: 1 };
    case codes.TYPE_UINT64:
      return { data: fill(new Float32Array(count), (at) => Number(view.getBigUint64(at, little)), 8), channels: 1 };
    default:
      throw new PixelDecodeError(fileName, `NIfTI data type ${datatypeName(header.datatypeCode)} is not supported`);
  }
}

/**
 * A NIfTI-1/-2 volume (.nii or .nii.gz) as 2D slices along the chosen
 * anatomical plane, every time point in turn, scl_slope/scl_inter applied,
 * each slice turned to the display convention (inPlane 'display') so
 * volumes with different affines (LAS, RAS...) give slices of one
 * orientation, and the orientation (e.g. "RAS") and layout recorded with each slice.
 */
export function decodeNiftiFile(bytes: Uint8Array, fileName: string, plane: SliceAxisName = 'axial', inPlane: NiftiInPlane = 'display'): DecodedImage[] {
  const whole = isGzip(bytes) ? gunzip(bytes, fileName, false) : bytes;
  const buffer = exactBuffer(whole);
  const header = parseHeader(buffer, fileName);
  const shape = volumeShape(header, fileName);
  const [sizeI, sizeJ, sizeK] = shape.sizes;
  const voxelsPerVolume = sizeI * sizeJ * sizeK;
  if (header.vox_offset + voxelsPerVolume * shape.timePoints * (header.numBitsPerVoxel / 8) > whole.length) {
    throw new PixelDecodeError(fileName, `NIfTI voxel data is truncated (file has ${whole.length} bytes, header needs ${header.vox_offset + voxelsPerVolume * shape.timePoints * (header.numBitsPerVoxel / 8)})`);
  }
  const raw = withFileErrors(fileName, 'NIfTI voxel data is unreadable', () => nifti.readImage(header, buffer));
  const { data: voxels, channels } = voxelArray(raw, header, voxelsPerVolume * shape.timePoints, fileName);
  const slope = header.scl_slope;
  // scl_slope 0 means "no scaling" in the NIfTI standard.
  const scaled = Number.isFinite(slope) && slope !== 0 && channels === 1 ? applyRescale(voxels, slope, Number.isFinite(header.scl_inter) ? header.scl_inter : 0) : voxels;
  const codes = orientationOf(header);
  const sliceAxis = voxelAxisForPlane(plane, codes);
  const layout = inPlaneLayout(plane, sliceAxis, codes, inPlane);
  const { columnAxis, rowAxis } = layout;
  const strides = [1, sizeI, sizeI * sizeJ];
  const width = shape.sizes[columnAxis] as number;
  const height = shape.sizes[rowAxis] as number;
  const sliceCount = shape.sizes[sliceAxis] as number;
  const spacing = header.pixDims;
  const images: DecodedImage[] = [];
  for (let timeIndex = 0; timeIndex < shape.timePoints; timeIndex++) {
    for (let sliceIndex = 0; sliceIndex < sliceCount; sliceIndex++) {
      const slice = new (scaled.constructor as new (length: number) => PixelArray)(width * height * channels);
      const base = timeIndex * voxelsPerVolume + sliceIndex * (strides[sliceAxis] as number);
      for (let row = 0; row < height; row++) {
        const rowVoxel = layout.flipRows ? height - 1 - row : row;
        for (let column = 0; column < width; column++) {
          const columnVoxel = layout.flipColumns ? width - 1 - column : column;
          const voxel = base + columnVoxel * (strides[columnAxis] as number) + rowVoxel * (strides[rowAxis] as number);
          for (let channel = 0; channel < channels; channel++) slice[(row * width + column) * channels + channel] = scaled[voxel * channels + channel] as number;
        }
      }
      images.push({
        width,
        height,
        channels,
        bitDepth: channels === 3 ? 8 : header.numBitsPerVoxel,
        data: slice,
        photometric: channels === 3 ? 'RGB' : 'MONOCHROME2',
        frameIndex: timeIndex * sliceCount + sliceIndex,
        metadata: {
          niftiVersion: header instanceof nifti.NIFTI2 ? 2 : 1,
          orientation: codes ? codes.join('') : null,
          orientationSource: header.sform_code > 0 ? 'sform' : header.qform_code > 0 ? 'qform' : null,
          /** voxel (i, j, k) to world mm, rows of the 3x4 matrix, flattened */
          affine: affineOf(header)?.slice(0, 3).flatMap((row) => row.slice(0, 4)) ?? null,
          slicePlane: plane,
          sliceAxis,
          sliceIndex,
          timeIndex,
          sliceCount,
          timePoints: shape.timePoints,
          columnDirection: layout.columnDirection,
          rowDirection: layout.rowDirection,
          inPlane,
          columnAxis,
          rowAxis,
          flippedColumns: layout.flipColumns ? 1 : 0,
          flippedRows: layout.flipRows ? 1 : 0,
          pixelSpacing: [spacing[columnAxis + 1] ?? 1, spacing[rowAxis + 1] ?? 1],
          sliceThickness: spacing[sliceAxis + 1] ?? null,
          rescaleSlope: slope !== 0 && Number.isFinite(slope) ? slope : 1,
          rescaleIntercept: slope !== 0 && Number.isFinite(header.scl_inter) ? header.scl_inter : 0,
          datatype: datatypeName(header.datatypeCode),
          description: header.description || null,
        },
      });
    }
  }
  return images;
}
