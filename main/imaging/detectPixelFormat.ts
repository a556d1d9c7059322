export type PixelFormat = 'png' | 'jpeg' | 'gif' | 'bmp' | 'tiff' | 'dicom' | 'nifti';

const bmpInfoHeaderSizes = new Set([12, 16, 40, 52, 56, 64, 108, 124]);

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((value, index) => bytes[at + index] === value);
}

function readUint32(bytes: Uint8Array, at: number, littleEndian: boolean): number {
  if (bytes.length < at + 4) return -1;
  return new DataView(bytes.buffer, bytes.byteOffset + at, 4).getUint32(0, littleEndian);
}

function isNiftiHeader(bytes: Uint8Array): boolean {
  for (const littleEndian of [true, false]) {
    const size = readUint32(bytes, 0, littleEndian);
    // NIfTI-1 puts "n+1\0"/"ni1\0" at 344, NIfTI-2 puts "n+2\0"/"ni2\0" at 4.
    if (size === 348 && (startsWith(bytes, [0x6e, 0x2b, 0x31, 0], 344) || startsWith(bytes, [0x6e, 0x69, 0x31, 0], 344))) return true;
    if (size === 540 && (startsWith(bytes, [0x6e, 0x2b, 0x32, 0], 4) || startsWith(bytes, [0x6e, 0x69, 0x32, 0], 4))) return true;
  }
  return false;
}

/** Format from the leading bytes alone; null when they say nothing definite. */
export function detectPixelFormatByMagic(bytes: Uint8Array): PixelFormat | null {
  // DICOM first: its 128-byte preamble may legally hold a TIFF header (dual-format files).
  if (startsWith(bytes, [0x44, 0x49, 0x43, 0x4d], 128)) return 'dicom';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38]) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61) return 'gif';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (isNiftiHeader(bytes)) return 'nifti';
  // "BM" alone is too weak a signature: also require a known info-header size.
  if (startsWith(bytes, [0x42, 0x4d]) && bmpInfoHeaderSizes.has(readUint32(bytes, 14, true))) return 'bmp';
  return null;
}

const formatByExtension: ReadonlyArray<[string, PixelFormat]> = [
  ['.nii.gz', 'nifti'],
  ['.nii', 'nifti'],
  ['.png', 'png'],
  ['.jpg', 'jpeg'],
  ['.jpeg', 'jpeg'],
  ['.jpe', 'jpeg'],
  ['.gif', 'gif'],
  ['.bmp', 'bmp'],
  ['.dib', 'bmp'],
  ['.tif', 'tiff'],
  ['.tiff', 'tiff'],
  ['.dcm', 'dicom'],
  ['.dicom', 'dicom'],
  ['.dic', 'dicom'],
  ['.ima', 'dicom'],
];

export function detectPixelFormatByExtension(fileName: string): PixelFormat | null {
  const lower = fileName.toLowerCase();
  for (const [extension, format] of formatByExtension) {
    if (lower.endsWith(extension)) return format;
  }
  return null;
}

/**
 * The file's pixel format: magic bytes first (a mis-named file is still read
 * right), the extension second (DICOM without preamble, gzip'd NIfTI).
 */
export function detectPixelFormat(bytes: Uint8Array, fileName: string): PixelFormat | null {
  return detectPixelFormatByMagic(bytes) ?? detectPixelFormatByExtension(fileName);
}
