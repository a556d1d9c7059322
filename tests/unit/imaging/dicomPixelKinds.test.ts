/**
 * DICOM pixel data beyond plain 8/16-bit grey: JPEG-LS colour in every
 * interleave mode, float and double pixel data,
 * 32-bit integers (native and RLE, RT Dose scaling), segmented palettes, the
 * Modality LUT Sequence, 8-bit codestreams in 16-bit data sets, one output
 * type per CT series, and skip reasons without parser internals.
 * Every file is written in code.
 */
import { describe, expect, it } from 'vitest';
import { decodeImageBytes } from '../../../main/imaging/decodeImageFile';
import { expandSegmentedLut } from '../../../main/imaging/dicomLookupTables';
import { encodeJpeg2000, encodeJpegLs, encodeRleFrame } from '../../fixtures/pixels/dicomEncoders';
import { transferSyntax, writeDicom, type DicomImageSpec } from '../../fixtures/pixels/dicomWriter';
import { writeDicomDataSet, type Attribute } from '../../fixtures/pixels/enhancedDicomWriter';
import { patternSamples } from '../../fixtures/pixels/rasterWriters';

const ids = { sopClassUid: '1.2.840.10008.5.1.4.1.1.30', sopInstanceUid: '1.2.826.0.1.3680043.9.7313.40' };

/** Image Pixel module attributes for writeDicomDataSet. */
function imageAttributes(spec: { rows: number; columns: number; bitsAllocated: number; bitsStored?: number; pixelRepresentation?: 0 | 1; frames?: number; modality?: string }): Attribute[] {
  const bitsStored = spec.bitsStored ?? spec.bitsAllocated;
  return [
    { tag: [0x0008, 0x0016], vr: 'UI', value: ids.sopClassUid },
    { tag: [0x0008, 0x0018], vr: 'UI', value: ids.sopInstanceUid },
    { tag: [0x0008, 0x0060], vr: 'CS', value: spec.modality ?? 'OT' },
    { tag: [0x0028, 0x0002], vr: 'US', value: 1 },
    { tag: [0x0028, 0x0004], vr: 'CS', value: 'MONOCHROME2' },
    { tag: [0x0028, 0x0008], vr: 'IS', value: String(spec.frames ?? 1) },
    { tag: [0x0028, 0x0010], vr: 'US', value: spec.rows },
    { tag: [0x0028, 0x0011], vr: 'US', value: spec.columns },
    { tag: [0x0028, 0x0100], vr: 'US', value: spec.bitsAllocated },
    { tag: [0x0028, 0x0101], vr: 'US', value: bitsStored },
    { tag: [0x0028, 0x0102], vr: 'US', value: bitsStored - 1 },
    { tag: [0x0028, 0x0103], vr: 'US', value: spec.pixelRepresentation ?? 0 },
  ];
}

function littleEndian(values: ArrayLike<number>, kind: 'u16' | 'u32' | 'i32' | 'f32' | 'f64'): Uint8Array {
  const size = kind === 'u16' ? 2 : kind === 'f64' ? 8 : 4;
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    if (kind === 'u16') view.setUint16(index * size, value, true);
    else if (kind === 'u32') view.setUint32(index * size, value, true);
    else if (kind === 'i32') view.setInt32(index * size, value, true);
    else if (kind === 'f32') view.setFloat32(index * size, value, true);
    else view.setFloat64(index * size, value, true);
  }
  return out;
}

describe('JPEG-LS colour', () => {
  const width = 24;
  const height = 10;
  const rgb = Uint8Array.from(patternSamples(width, height, 3, 255, 9));
  const pixels = width * height;
  const planes = new Uint8Array(rgb.length);
  for (let pixel = 0; pixel < pixels; pixel++) for (let channel = 0; channel < 3; channel++) planes[channel * pixels + pixel] = rgb[pixel * 3 + channel]!;
  const colour: DicomImageSpec = { rows: height, columns: width, samplesPerPixel: 3, photometric: 'RGB', bitsAllocated: 8 };

  it('decodes interleave modes none, line and sample to the same RGB pixels', async () => {
    const streams: Array<[string, Uint8Array]> = [
      ['ilv-none.dcm', await encodeJpegLs(planes, width, height, 8, 0, 3, 0)],
      ['ilv-line.dcm', await encodeJpegLs(rgb, width, height, 8, 0, 3, 1)],
      ['ilv-sample.dcm', await encodeJpegLs(rgb, width, height, 8, 0, 3, 2)],
    ];
    for (const [name, stream] of streams) {
      const [image] = await decodeImageBytes(writeDicom(colour, transferSyntax.jpegLs, { fragments: [[stream]] }), name);
      expect(image, name).toMatchObject({ width, height, channels: 3, photometric: 'RGB', bitDepth: 8 });
      expect(Array.from(image!.data), name).toEqual(Array.from(rgb));
    }
  });

  it('calls a data set without Rows/Columns no image, naming its modality', async () => {
    const report = writeDicomDataSet([{ tag: [0x0008, 0x0060], vr: 'CS', value: 'SR' }], ids);
    await expect(decodeImageBytes(report, 'report.dcm')).rejects.toThrow(/report\.dcm: DICOM has no image \(no Rows\/Columns; modality SR/);
  });
});

describe('float and 32-bit integer pixel data', () => {
  const rows = 3;
  const columns = 4;
  const values = [-1.5, 0, 0.25, 1e-3, 3.75, -1000.125, 42, 7.5, 1e6, -2e-4, 0.1, 99.5];
  const secondFrame = values.map((value) => value * 2);

  it('keeps Float Pixel Data (7FE0,0008) as float32, frame by frame', async () => {
    const bytes = writeDicomDataSet([...imageAttributes({ rows, columns, bitsAllocated: 32, frames: 2, modality: 'MR' }), { tag: [0x7fe0, 0x0008], vr: 'OF', bytes: littleEndian([...values, ...secondFrame], 'f32') }], ids);
    const images = await decodeImageBytes(bytes, 'parametric.dcm');
    expect(images).toHaveLength(2);
    images.forEach((image, index) => {
      expect(image.data).toBeInstanceOf(Float32Array);
      expect(image).toMatchObject({ width: columns, height: rows, channels: 1, bitDepth: 32 });
      expect(Array.from(image.data)).toEqual(Array.from(Float32Array.from(index === 0 ? values : secondFrame)));
      expect(image.metadata?.pixelData).toMatch(/Float Pixel Data/);
    });
  });

  it('reads Double Float Pixel Data (7FE0,0009) into float32', async () => {
    const bytes = writeDicomDataSet([...imageAttributes({ rows, columns, bitsAllocated: 64 }), { tag: [0x7fe0, 0x0009], vr: 'OD', bytes: littleEndian(values, 'f64') }], ids);
    const [image] = await decodeImageBytes(bytes, 'double.dcm');
    expect(image!.data).toBeInstanceOf(Float32Array);
    expect(Array.from(image!.data)).toEqual(Array.from(Float32Array.from(values)));
    expect(image!.metadata?.pixelData).toMatch(/Double Float/);
  });

  it('reads 32-bit unsigned and signed native integers, and RT Dose in Gy through Dose Grid Scaling', async () => {
    const unsigned = [0, 1, 65536, 70000, 16_000_000, 4095, 123456, 7, 8, 9, 10, 2 ** 24];
    const unsignedFile = writeDicomDataSet([...imageAttributes({ rows, columns, bitsAllocated: 32 }), { tag: [0x7fe0, 0x0010], vr: 'OW', bytes: littleEndian(unsigned, 'u32') }], ids);
    const [u32] = await decodeImageBytes(unsignedFile, 'u32.dcm');
    expect(u32!.data).toBeInstanceOf(Float32Array);
    expect(Array.from(u32!.data)).toEqual(unsigned);

    const signed = [-70000, -1, 0, 1, 70000, -(2 ** 20), 5, 6, 7, 8, 9, 10];
    const signedFile = writeDicomDataSet([...imageAttributes({ rows, columns, bitsAllocated: 32, pixelRepresentation: 1 }), { tag: [0x7fe0, 0x0010], vr: 'OW', bytes: littleEndian(signed, 'i32') }], ids);
    expect(Array.from((await decodeImageBytes(signedFile, 's32.dcm'))[0]!.data)).toEqual(signed);

    const dose = [...imageAttributes({ rows, columns, bitsAllocated: 32, modality: 'RTDOSE' }), { tag: [0x3004, 0x0002], vr: 'CS', value: 'GY' } satisfies Attribute, { tag: [0x3004, 0x000e], vr: 'DS', value: '0.5' } satisfies Attribute];
    const doseFile = writeDicomDataSet([...dose, { tag: [0x7fe0, 0x0010], vr: 'OW', bytes: littleEndian(unsigned, 'u32') }], ids);
    const [gray] = await decodeImageBytes(doseFile, 'dose.dcm');
    expect(Array.from(gray!.data)).toEqual(unsigned.map((value) => value * 0.5));
    expect(gray!.metadata).toMatchObject({ doseGridScaling: 0.5, doseUnits: 'GY' });
  });

  it('decodes 32-bit RLE (four byte planes per sample)', async () => {
    const samples = Uint32Array.from([0, 1, 256, 65535, 65536, 16_777_215, 3, 2 ** 31, 4_000_000_000, 12, 13, 14]);
    const bytes = writeDicom({ rows, columns, bitsAllocated: 32 }, transferSyntax.rle, { fragments: [[encodeRleFrame(samples, 1)]] });
    const [image] = await decodeImageBytes(bytes, 'rle32.dcm');
    expect(image!.data).toBeInstanceOf(Float32Array);
    expect(Array.from(image!.data)).toEqual(Array.from(Float32Array.from(samples)));
  });
});

describe('lookup tables', () => {
  it('expands segmented palette tables (discrete, linear and indirect segments)', async () => {
    // Red: discrete [0, 0x1000], linear to 0x5000 over 4 steps -> 0x2000 0x3000 0x4000 0x5000.
    const red = [0, 2, 0x0000, 0x1000, 1, 4, 0x5000];
    // Green: discrete [0xff00], then an indirect copy of the first segment (byte offset 0) -> [0xff00, 0xff00].
    const green = [0, 1, 0xff00, 2, 1, 0, 0];
    // Blue: one discrete segment of six entries.
    const blue = [0, 6, 0x0100, 0x0200, 0x0300, 0x0400, 0x0500, 0x0600];
    const indices = Uint8Array.from([0, 1, 2, 3, 4, 5]);
    const attributes: Attribute[] = [
      ...imageAttributes({ rows: 2, columns: 3, bitsAllocated: 8 }).map((attribute) => (attribute.tag[1] === 0x0004 && attribute.tag[0] === 0x0028 ? { ...attribute, value: 'PALETTE COLOR' } : attribute)) as Attribute[],
      ...[red, green, blue].flatMap((table, channel) => [
        { tag: [0x0028, 0x1101 + channel], vr: 'US', value: [6, 0, 16] },
        { tag: [0x0028, 0x1221 + channel], vr: 'OW', bytes: littleEndian(table, 'u16') },
      ] satisfies Attribute[]),
      { tag: [0x7fe0, 0x0010], vr: 'OW', bytes: indices },
    ];
    const [image] = await decodeImageBytes(writeDicomDataSet(attributes, ids), 'segmented.dcm');
    expect(image).toMatchObject({ channels: 3, photometric: 'RGB' });
    const expectedRed = [0x00, 0x10, 0x20, 0x30, 0x40, 0x50];
    const expectedGreen = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
    const expectedBlue = [1, 2, 3, 4, 5, 6];
    expect(Array.from(image!.data)).toEqual([0, 1, 2, 3, 4, 5].flatMap((entry) => [expectedRed[entry], expectedGreen[entry], expectedBlue[entry]]));
  });

  it('stops expanding a segmented table at its entries, however many segments the file holds', () => {
    const words = [0, 1, 0, ...Array.from({ length: 20_000 }, () => [1, 65535, 4096]).flat()];
    const values = expandSegmentedLut(words, 256, (problem) => new Error(problem));
    // one discrete value, then one linear segment: the next would start past the 256 entries
    expect(values).toHaveLength(1 + 65535);
    expect(values[65535]).toBe(4096);
  });

  const lutImage = (lutItem: Attribute[], stored: number[]): Uint8Array =>
    writeDicomDataSet(
      [
        ...imageAttributes({ rows: 1, columns: stored.length, bitsAllocated: 16, bitsStored: 12, modality: 'XA' }),
        { tag: [0x0028, 0x3000], vr: 'SQ', items: [lutItem] },
        { tag: [0x7fe0, 0x0010], vr: 'OW', bytes: littleEndian(stored, 'u16') },
      ],
      ids,
    );

  it('applies the Modality LUT Sequence (first mapped value subtracted, ends clamped) and records it', async () => {
    const table = [100, 300, 900, 2700];
    const item: Attribute[] = [
      { tag: [0x0028, 0x3002], vr: 'US', value: [4, 10, 12] },
      { tag: [0x0028, 0x3003], vr: 'LO', value: 'log to linear' },
      { tag: [0x0028, 0x3004], vr: 'LO', value: 'OD' },
      { tag: [0x0028, 0x3006], vr: 'OW', bytes: littleEndian(table, 'u16') },
    ];
    const [image] = await decodeImageBytes(lutImage(item, [10, 11, 12, 13, 5, 40]), 'mlut.dcm');
    expect(image!.data).toBeInstanceOf(Uint16Array);
    expect(Array.from(image!.data)).toEqual([100, 300, 900, 2700, 100, 2700]);
    expect(image!.metadata).toMatchObject({ modalityLut: 'log to linear', modalityLutType: 'OD' });
  });

  it('treats an empty Modality LUT Sequence, or one item of empty attributes, as none (the rescale applies)', async () => {
    const emptyItem: Attribute[] = [
      { tag: [0x0028, 0x3002], vr: 'US', value: [] },
      { tag: [0x0028, 0x3003], vr: 'LO', value: '' },
      { tag: [0x0028, 0x3004], vr: 'LO', value: '' },
      { tag: [0x0028, 0x3006], vr: 'OW', bytes: new Uint8Array(0) },
    ];
    for (const items of [[], [emptyItem]]) {
      const bytes = writeDicomDataSet(
        [
          ...imageAttributes({ rows: 1, columns: 2, bitsAllocated: 16, bitsStored: 12, modality: 'CT' }),
          { tag: [0x0028, 0x1052], vr: 'DS', value: '-1024' },
          { tag: [0x0028, 0x1053], vr: 'DS', value: '1' },
          { tag: [0x0028, 0x3000], vr: 'SQ', items },
          { tag: [0x7fe0, 0x0010], vr: 'OW', bytes: littleEndian([1024, 2000], 'u16') },
        ],
        ids,
      );
      const [image] = await decodeImageBytes(bytes, 'empty-lut.dcm');
      expect(Array.from(image!.data), `${items.length} item(s)`).toEqual([0, 976]);
      expect(image!.metadata?.modalityLut).toBeUndefined();
    }
  });

  it('skips a file whose Modality LUT cannot be applied, saying why', async () => {
    const noData: Attribute[] = [{ tag: [0x0028, 0x3002], vr: 'US', value: [4, 0, 12] }];
    await expect(decodeImageBytes(lutImage(noData, [1, 2]), 'badlut.dcm')).rejects.toThrow(/^badlut\.dcm: has a Modality LUT Sequence that cannot be applied \(no LUT Data\)/);
    const short: Attribute[] = [...noData, { tag: [0x0028, 0x3006], vr: 'OW', bytes: littleEndian([1, 2], 'u16') }];
    await expect(decodeImageBytes(lutImage(short, [1, 2]), 'shortlut.dcm')).rejects.toThrow(/the descriptor says 4 entries, the data holds 2/);
  });
});

describe('output types follow the data set, not one frame', () => {
  it('8-bit JPEG 2000 and JPEG-LS codestreams in a 16-bit data set come back as 8-bit', async () => {
    // OpenJPEG's default six resolution levels need at least 32 pixels a side.
    const samples = Uint8Array.from(patternSamples(64, 48, 1, 255, 4));
    const spec: DicomImageSpec = { rows: 48, columns: 64, bitsAllocated: 16, bitsStored: 16 };
    const files: Array<[string, Uint8Array]> = [
      ['j2k8.dcm', writeDicom(spec, transferSyntax.jpeg2000Lossless, { fragments: [[await encodeJpeg2000(samples, 64, 48, 8)]] })],
      ['jls8.dcm', writeDicom(spec, transferSyntax.jpegLs, { fragments: [[await encodeJpegLs(samples, 64, 48, 8)]] })],
    ];
    for (const [name, bytes] of files) {
      const [image] = await decodeImageBytes(bytes, name);
      expect(image!.data, name).toBeInstanceOf(Uint8Array);
      expect(image!.bitDepth, name).toBe(8);
      expect(Array.from(image!.data), name).toEqual(Array.from(samples));
    }
  });

  it('gives every slice of a CT series one type, even a slice whose HU are all >= 0', async () => {
    const spec: DicomImageSpec = { rows: 2, columns: 2, bitsStored: 12, rescaleIntercept: -1024, rescaleSlope: 1, modality: 'CT' };
    const withAir = (await decodeImageBytes(writeDicom(spec, transferSyntax.explicitLittle, { native: Uint16Array.from([0, 1024, 2000, 3000]) }), 'a.dcm'))[0]!;
    const allTissue = (await decodeImageBytes(writeDicom(spec, transferSyntax.explicitLittle, { native: Uint16Array.from([1024, 1100, 2000, 3000]) }), 'b.dcm'))[0]!;
    expect(withAir.data).toBeInstanceOf(Int16Array);
    expect(allTissue.data).toBeInstanceOf(Int16Array);
    expect(Array.from(allTissue.data)).toEqual([0, 76, 976, 1976]);
    // A positive intercept on unsigned data stays unsigned.
    const shifted = (await decodeImageBytes(writeDicom({ ...spec, rescaleIntercept: 10 }, transferSyntax.explicitLittle, { native: Uint16Array.from([0, 1, 2, 3]) }), 'c.dcm'))[0]!;
    expect(shifted.data).toBeInstanceOf(Uint16Array);
  });
});

describe('skip reasons are in the user\'s words', () => {
  it('names no parser function or parameter for damaged files, wherever the damage is', async () => {
    const samples = Uint16Array.from(patternSamples(16, 16, 1, 4095, 5));
    const sources: Array<[string, Uint8Array]> = [
      ['native.dcm', writeDicom({ rows: 16, columns: 16, bitsStored: 12, frames: 1 }, transferSyntax.explicitLittle, { native: samples })],
      ['implicit.dcm', writeDicom({ rows: 16, columns: 16, bitsStored: 12 }, transferSyntax.implicitLittle, { native: samples })],
      ['rle.dcm', writeDicom({ rows: 16, columns: 16, bitsStored: 12 }, transferSyntax.rle, { fragments: [[encodeRleFrame(samples, 1)]] })],
      [
        'sequence.dcm',
        writeDicomDataSet(
          [
            ...imageAttributes({ rows: 16, columns: 16, bitsAllocated: 16 }),
            { tag: [0x0028, 0x3000], vr: 'SQ', items: [[{ tag: [0x0028, 0x3002], vr: 'US', value: [2, 0, 16] }, { tag: [0x0028, 0x3006], vr: 'OW', bytes: littleEndian([5, 6], 'u16') }]] },
            { tag: [0x7fe0, 0x0010], vr: 'OW', bytes: littleEndian(samples, 'u16') },
          ],
          ids,
        ),
      ],
    ];
    const internals = /dicomParser|maxPosition|byteStream|byteArray|parameter|undefined|readSequence|readDicomElement/i;
    let damaged = 0;
    for (const [name, bytes] of sources) {
      // Corrupt the 4 bytes at many places (lengths, tags, values) and cut the file short.
      for (let at = 132; at < Math.min(bytes.length, 900); at += 6) {
        const broken = Uint8Array.from(bytes);
        broken.set([0xff, 0xff, 0xff, 0x7f], at);
        for (const variant of [broken, bytes.subarray(0, at)]) {
          try {
            await decodeImageBytes(variant, name);
          } catch (thrown) {
            damaged++;
            const message = (thrown as Error).message;
            expect(message.startsWith(`${name}: `), message).toBe(true);
            expect(message, message).not.toMatch(internals);
          }
        }
      }
    }
    expect(damaged).toBeGreaterThan(100);
  });
});
