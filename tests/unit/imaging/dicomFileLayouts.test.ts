/**
 * DICOM files laid out unlike textbook Part 10, as public sample files are:
 * the meta group without the 128-byte preamble (pydicom-data JLSL_RGB_ILV0/1/2,
 * JLSN_RGB_ILV0: JPEG-LS RGB once reported as "no Rows/Columns"), a bare data
 * set in explicit VR little or big endian (pydicom ExplVR_LitEndNoMeta,
 * ExplVR_BigEndNoMeta), and an implicit-VR data set under a meta group that
 * declares an explicit-VR JPEG syntax (pydicom SC_rgb_jpeg.dcm, once reported
 * as "truncated"). Then what else the same public samples showed: damaged
 * JPEG 2000 codestreams, 1-bit RLE, Deflated Image Frame Compression, HTJ2K
 * (docs/dicom-samples.md). Every file is written in code; the pixels must
 * come back as encoded.
 */
import { deflateRawSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { decodeImageBytes, readImageHeader } from '../../../main/imaging/decodeImageFile';
import { encodeJpeg2000, encodeJpegLs, encodeRleFrame } from '../../fixtures/pixels/dicomEncoders';
import { transferSyntax, writeDicom, type DicomImageSpec } from '../../fixtures/pixels/dicomWriter';
import { htj2kPattern } from '../../fixtures/pixels/generateHtj2kStreams';
import { htj2kLosslessBase64, htj2kLossyBase64, htj2kLossyOpenJphBase64 } from '../../fixtures/pixels/htj2kStreams';
import { patternSamples } from '../../fixtures/pixels/rasterWriters';

const width = 24;
const height = 10;
const pixels = width * height;
const rgb = Uint8Array.from(patternSamples(width, height, 3, 255, 11));
const colour: DicomImageSpec = { rows: height, columns: width, samplesPerPixel: 3, photometric: 'RGB', bitsAllocated: 8 };

function planesOf(interleaved: Uint8Array): Uint8Array {
  const planes = new Uint8Array(interleaved.length);
  for (let pixel = 0; pixel < pixels; pixel++) for (let channel = 0; channel < 3; channel++) planes[channel * pixels + pixel] = interleaved[pixel * 3 + channel]!;
  return planes;
}

describe('Part 10 without the preamble: the file starts with the meta group', () => {
  it('decodes JPEG-LS RGB in every interleave mode, lossless and near-lossless, with the size from Rows/Columns', async () => {
    const cases: Array<[string, string, Uint8Array, number]> = [
      ['ilv0.dcm', transferSyntax.jpegLs, await encodeJpegLs(planesOf(rgb), width, height, 8, 0, 3, 0), 0],
      ['ilv1.dcm', transferSyntax.jpegLs, await encodeJpegLs(rgb, width, height, 8, 0, 3, 1), 0],
      ['ilv2.dcm', transferSyntax.jpegLs, await encodeJpegLs(rgb, width, height, 8, 0, 3, 2), 0],
      ['near-ilv0.dcm', transferSyntax.jpegLsNear, await encodeJpegLs(planesOf(rgb), width, height, 8, 2, 3, 0), 2],
    ];
    for (const [name, syntax, stream, tolerance] of cases) {
      const bytes = writeDicom(colour, syntax, { fragments: [[stream]] }, { preamble: false });
      expect(String.fromCharCode(...bytes.subarray(128, 132)), name).not.toBe('DICM');
      expect(readImageHeader(bytes, name), name).toMatchObject({ format: 'dicom', width, height, channels: 3, transferSyntaxUid: syntax });
      const [image] = await decodeImageBytes(bytes, name);
      expect(image, name).toMatchObject({ width, height, channels: 3, photometric: 'RGB', bitDepth: 8 });
      const decoded = Array.from(image!.data);
      if (tolerance === 0) expect(decoded, name).toEqual(Array.from(rgb));
      else expect(Math.max(...decoded.map((value, index) => Math.abs(value - rgb[index]!))), name).toBeLessThanOrEqual(tolerance);
    }
  });

  it('reads native pixels after a preamble-less meta group, in the byte order the meta group declares', async () => {
    const grey = Uint16Array.from(patternSamples(width, height, 1, 4095, 3));
    const spec: DicomImageSpec = { rows: height, columns: width, bitsStored: 12, modality: 'MR' };
    for (const syntax of [transferSyntax.explicitLittle, transferSyntax.explicitBig, transferSyntax.implicitLittle]) {
      const [image] = await decodeImageBytes(writeDicom(spec, syntax, { native: grey }, { preamble: false }), 'native.dcm');
      expect(Array.from(image!.data), syntax).toEqual(Array.from(grey));
      expect(image!.metadata?.modality, syntax).toBe('MR');
    }
  });
});

describe('a bare data set (no meta group): its encoding is read from its first element', () => {
  it('decodes implicit VR, explicit VR little endian and explicit VR big endian', async () => {
    const grey = Uint16Array.from(patternSamples(width, height, 1, 65535, 4));
    const spec: DicomImageSpec = { rows: height, columns: width, modality: 'CT', rescaleIntercept: 0, rescaleSlope: 1 };
    for (const syntax of [transferSyntax.implicitLittle, transferSyntax.explicitLittle, transferSyntax.explicitBig]) {
      const bytes = writeDicom(spec, syntax, { native: grey }, { metaGroup: false });
      expect(readImageHeader(bytes, 'bare.dcm'), syntax).toMatchObject({ width, height, channels: 1, modality: 'CT' });
      const [image] = await decodeImageBytes(bytes, 'bare.dcm');
      expect(Array.from(image!.data), syntax).toEqual(Array.from(grey));
    }
  });
});

describe('the data set is not in the VR its transfer syntax declares', () => {
  it('decodes a baseline YCbCr JPEG whose data set is implicit VR under an explicit-VR meta group', async () => {
    const rgba = new Uint8Array(pixels * 4);
    for (let pixel = 0; pixel < pixels; pixel++) rgba.set([rgb[pixel * 3]!, rgb[pixel * 3 + 1]!, rgb[pixel * 3 + 2]!, 255], pixel * 4);
    const stream = new Uint8Array(jpeg.encode({ width, height, data: rgba }, 95).data);
    const expected = jpeg.decode(stream, { useTArray: true, formatAsRGBA: false }).data;
    const spec: DicomImageSpec = { ...colour, photometric: 'YBR_FULL_422' };
    const mismatched = writeDicom(spec, transferSyntax.jpegBaseline, { fragments: [[stream]] }, { dataSetVr: 'implicit' });
    expect(readImageHeader(mismatched, 'ybr.dcm')).toMatchObject({ width, height, channels: 3, transferSyntaxUid: transferSyntax.jpegBaseline });
    const [image] = await decodeImageBytes(mismatched, 'ybr.dcm');
    expect(image).toMatchObject({ width, height, channels: 3, photometric: 'RGB' });
    expect(Array.from(image!.data)).toEqual(Array.from(expected));
    expect(image!.metadata?.transferSyntaxUid).toBe(transferSyntax.jpegBaseline);
    // The same file cut inside the frame still fails, naming the file, in plain words.
    const cut = decodeImageBytes(mismatched.subarray(0, mismatched.length - 40), 'cut.dcm');
    await expect(cut).rejects.toThrow(/^cut\.dcm: /);
    await expect(cut).rejects.not.toThrow(/dicomParser|maxPosition|byteStream/);
  });

  it('decodes JPEG-LS and native pixels whose data set is implicit VR, and an explicit data set under an implicit declaration', async () => {
    const stream = await encodeJpegLs(rgb, width, height, 8, 0, 3, 1);
    const [jpegLs] = await decodeImageBytes(writeDicom(colour, transferSyntax.jpegLs, { fragments: [[stream]] }, { dataSetVr: 'implicit' }), 'jls.dcm');
    expect(Array.from(jpegLs!.data)).toEqual(Array.from(rgb));
    const grey = Uint16Array.from(patternSamples(width, height, 1, 4095, 8));
    const spec: DicomImageSpec = { rows: height, columns: width, bitsStored: 12 };
    const [implicitUnderExplicit] = await decodeImageBytes(writeDicom(spec, transferSyntax.explicitLittle, { native: grey }, { dataSetVr: 'implicit' }), 'a.dcm');
    const [explicitUnderImplicit] = await decodeImageBytes(writeDicom(spec, transferSyntax.implicitLittle, { native: grey }, { dataSetVr: 'explicit' }), 'b.dcm');
    expect(Array.from(implicitUnderExplicit!.data)).toEqual(Array.from(grey));
    expect(Array.from(explicitUnderImplicit!.data)).toEqual(Array.from(grey));
  });
});

describe('a damaged JPEG 2000 codestream (pydicom JPEG2000-embedded-sequence-delimiter.dcm, pylibjpeg-data 966.dcm)', () => {
  it('is skipped saying the codestream is damaged, not with the codec\'s empty frame size', async () => {
    const grey = Uint16Array.from(patternSamples(64, 48, 1, 4095, 3));
    const stream = await encodeJpeg2000(grey, 64, 48, 12);
    const spec: DicomImageSpec = { rows: 48, columns: 64, bitsStored: 12 };
    const [intact] = await decodeImageBytes(writeDicom(spec, transferSyntax.jpeg2000Lossless, { fragments: [[stream]] }), 'intact.dcm');
    expect(Array.from(intact!.data)).toEqual(Array.from(grey));
    // Four header bytes overwritten with a sequence delimiter, as in the pydicom sample.
    const damaged = stream.slice();
    damaged.set([0xfe, 0xff, 0xdd, 0xe0], 40);
    const decoding = decodeImageBytes(writeDicom(spec, transferSyntax.jpeg2000Lossless, { fragments: [[damaged]] }), 'damaged.dcm');
    await expect(decoding).rejects.toThrow(/^damaged\.dcm: JPEG 2000 Lossless Only frame 0 cannot be decoded: the JPEG 2000 codestream is damaged/);
    await expect(decoding).rejects.not.toThrow(/0x0/);
  });
});

describe('1-bit RLE (binary segmentations; pydicom-data liver_rle.dcm, liver_nonbyte_aligned_rle.dcm)', () => {
  it('unpacks each frame\'s packed bits to one 0/1 value per pixel, also when a frame is not a whole number of bytes', async () => {
    const [rows, columns] = [5, 7];
    const frames = [0, 1].map((frame) => Uint8Array.from(patternSamples(columns, rows, 1, 1, 20 + frame)));
    const packed = frames.map((bits) => {
      const bytes = new Uint8Array(Math.ceil(bits.length / 8));
      bits.forEach((bit, index) => (bytes[index >> 3]! |= bit << (index & 7)));
      return bytes;
    });
    const spec: DicomImageSpec = { rows, columns, bitsAllocated: 1, bitsStored: 1, frames: 2, modality: 'SEG' };
    const images = await decodeImageBytes(writeDicom(spec, transferSyntax.rle, { fragments: packed.map((bytes) => [encodeRleFrame(bytes, 1)]) }), 'seg-rle.dcm');
    expect(images).toHaveLength(2);
    images.forEach((image, index) => {
      expect(image).toMatchObject({ width: columns, height: rows, channels: 1, bitDepth: 1 });
      expect(Array.from(image.data), `frame ${index}`).toEqual(Array.from(frames[index]!));
    });
    expect(new Set(frames.flatMap((bits) => Array.from(bits)))).toEqual(new Set([0, 1]));
  });
});

describe('Deflated Image Frame Compression (pydicom-data liver_deflate.dcm, liver_nonbyte_aligned_deflate.dcm)', () => {
  const deflated = (bytes: Uint8Array): Uint8Array => new Uint8Array(deflateRawSync(bytes));
  const littleEndian16 = (values: Uint16Array): Uint8Array => {
    const bytes = new Uint8Array(values.length * 2);
    values.forEach((value, index) => new DataView(bytes.buffer).setUint16(index * 2, value, true));
    return bytes;
  };

  it('inflates each frame to its native samples: 16-bit grey, 1-bit packed, RGB plane by plane', async () => {
    const greyFrames = [0, 1].map((frame) => Uint16Array.from(patternSamples(width, height, 1, 4095, 30 + frame)));
    const greySpec: DicomImageSpec = { rows: height, columns: width, bitsStored: 12, frames: 2 };
    const grey = await decodeImageBytes(writeDicom(greySpec, transferSyntax.deflatedFrames, { fragments: greyFrames.map((frame) => [deflated(littleEndian16(frame))]) }), 'grey.dcm');
    expect(grey.map((image) => Array.from(image.data))).toEqual(greyFrames.map((frame) => Array.from(frame)));
    expect(grey[0]!.metadata?.transferSyntax).toBe('Deflated Image Frame Compression');

    const [rows, columns] = [5, 7];
    const bits = Uint8Array.from(patternSamples(columns, rows, 1, 1, 40));
    const packed = new Uint8Array(Math.ceil(bits.length / 8));
    bits.forEach((bit, index) => (packed[index >> 3]! |= bit << (index & 7)));
    const [mask] = await decodeImageBytes(writeDicom({ rows, columns, bitsAllocated: 1, bitsStored: 1, modality: 'SEG' }, transferSyntax.deflatedFrames, { fragments: [[deflated(packed)]] }), 'mask.dcm');
    expect(Array.from(mask!.data)).toEqual(Array.from(bits));

    const [colourImage] = await decodeImageBytes(writeDicom({ ...colour, planarConfiguration: 1 }, transferSyntax.deflatedFrames, { fragments: [[deflated(planesOf(rgb))]] }), 'planes.dcm');
    expect(Array.from(colourImage!.data)).toEqual(Array.from(rgb));
  });

  it('skips a frame that inflates to fewer bytes than Rows x Columns need, or to more, naming the file', async () => {
    const grey = Uint16Array.from(patternSamples(width, height, 1, 4095, 9));
    const spec: DicomImageSpec = { rows: height, columns: width, bitsStored: 12 };
    const short = littleEndian16(grey).subarray(0, 100);
    await expect(decodeImageBytes(writeDicom(spec, transferSyntax.deflatedFrames, { fragments: [[deflated(short)]] }), 'short.dcm')).rejects.toThrow(/^short\.dcm: .*inflates to 100 of 480 bytes/);
    const bomb = deflated(new Uint8Array(1 << 20));
    await expect(decodeImageBytes(writeDicom(spec, transferSyntax.deflatedFrames, { fragments: [[bomb]] }), 'bomb.dcm')).rejects.toThrow(/^bomb\.dcm: .*does not inflate to the 480 bytes/);
  });
});

describe('High-Throughput JPEG 2000 (pydicom-data HTJ2K_08_RGB.dcm, HTJ2KLossless_08_RGB.dcm)', () => {
  const { width: htWidth, height: htHeight, seed } = htj2kPattern;
  const source = Uint8Array.from(patternSamples(htWidth, htHeight, 3, 255, seed));
  const spec: DicomImageSpec = { rows: htHeight, columns: htWidth, samplesPerPixel: 3, photometric: 'RGB', bitsAllocated: 8 };
  const bytesOf = (base64: string): Uint8Array => new Uint8Array(Buffer.from(base64, 'base64'));

  it('decodes the lossless syntaxes (.201, .202 with RPCL) exactly and the lossy one (.203) as OpenJPH does', async () => {
    for (const syntax of [transferSyntax.htj2kLossless, transferSyntax.htj2kRpclLossless]) {
      const [image] = await decodeImageBytes(writeDicom(spec, syntax, { fragments: [[bytesOf(htj2kLosslessBase64)]] }), 'ht.dcm');
      expect(image, syntax).toMatchObject({ width: htWidth, height: htHeight, channels: 3, bitDepth: 8 });
      expect(Array.from(image!.data), syntax).toEqual(Array.from(source));
    }
    const [lossy] = await decodeImageBytes(writeDicom(spec, transferSyntax.htj2k, { fragments: [[bytesOf(htj2kLossyBase64)]] }), 'ht-lossy.dcm');
    const openJph = bytesOf(htj2kLossyOpenJphBase64);
    expect(lossy!.data).toHaveLength(openJph.length);
    expect(Math.max(...Array.from(lossy!.data, (value, index) => Math.abs(value - openJph[index]!)))).toBeLessThanOrEqual(1);
    expect(Array.from(lossy!.data)).not.toEqual(Array.from(source));
    expect(lossy!.metadata).toMatchObject({ transferSyntax: 'High-Throughput JPEG 2000', lossyCompressed: 1 });
  });
});
