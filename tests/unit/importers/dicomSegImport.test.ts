/**
 * DICOM-SEG: a folder of CT slices with a Segmentation Storage object that
 * references them imports as a segmentation dataset: segments are classes
 * with their labels and recommended colours, each referenced slice gets the
 * SEG's label map as its mask (binary bit-packed and fractional frames),
 * and what the SEG does not cover is reported. Every file is written here.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDatasetSamples } from '../../../main/catalog/datasetSamples';
import { detectImportFormat } from '../../../main/importers/detectImportFormat';
import { cieLabToSrgb, segmentationStorageUid } from '../../../main/imaging/dicomSegmentation';
import { rasteriseContours, rtStructureSetStorageUid } from '../../../main/imaging/dicomRtStruct';
import { transferSyntax, writeDicom } from '../../fixtures/pixels/dicomWriter';
import { writeDicomDataSet, type Attribute } from '../../fixtures/pixels/enhancedDicomWriter';
import { writeFile } from './generatedFixtures';
import { importHere, reportOf } from './importHere';
import { importWorkspaces } from './importWorkspace';

const [width, height] = [8, 6];
const sliceUid = (index: number): string => `1.2.826.0.1.3680043.9.7313.100.${index}`;
const ctClass = '1.2.840.10008.5.1.4.1.1.2';

function writeSlice(root: string, index: number): void {
  const stored = Uint16Array.from({ length: width * height }, (_, pixel) => 1000 + pixel + 100 * index);
  const spec = { rows: height, columns: width, modality: 'CT', patientId: 'P-7', rescaleIntercept: -1024, rescaleSlope: 1, sopInstanceUid: sliceUid(index) };
  writeFile(path.join(root, `ct/slice${index}.dcm`), writeDicom(spec, transferSyntax.explicitLittle, { native: stored }));
}

/** Segment masks as 0/1 per pixel; the liver is the left half, the tumour a 2x2 square inside it. */
const liver = Uint8Array.from({ length: width * height }, (_, pixel) => (pixel % width < 4 ? 1 : 0));
const tumour = Uint8Array.from({ length: width * height }, (_, pixel) => (pixel % width >= 2 && pixel % width < 4 && Math.floor(pixel / width) < 2 ? 1 : 0));

/** Frames packed 1 bit per pixel, least significant bit first, running on across frames (PS3.5 8.1.1). */
function packBits(frames: Uint8Array[]): Uint8Array {
  const all = frames.flatMap((frame) => Array.from(frame));
  const bytes = new Uint8Array(Math.ceil(all.length / 8));
  all.forEach((bit, index) => {
    if (bit) bytes[index >> 3]! |= 1 << (index & 7);
  });
  return bytes;
}

// CIELab of pure sRGB red and blue, scaled as DICOM stores it.
const labRed = [Math.round((54.29 * 65535) / 100), Math.round(((80.81 + 128) * 65535) / 255), Math.round(((69.89 + 128) * 65535) / 255)];
const labBlue = [Math.round((29.57 * 65535) / 100), Math.round(((68.3 + 128) * 65535) / 255), Math.round(((-112.03 + 128) * 65535) / 255)];

interface SegFrame {
  segment: number;
  source: string;
  pixels: Uint8Array;
}

function segmentation(frames: SegFrame[], fractional: boolean): Uint8Array {
  const bits = fractional ? 8 : 1;
  const attributes: Attribute[] = [
    { tag: [0x0008, 0x0016], vr: 'UI', value: segmentationStorageUid },
    { tag: [0x0008, 0x0018], vr: 'UI', value: `1.2.826.0.1.3680043.9.7313.200.${fractional ? 2 : 1}` },
    { tag: [0x0008, 0x0060], vr: 'CS', value: 'SEG' },
    { tag: [0x0010, 0x0020], vr: 'LO', value: 'P-7' },
    { tag: [0x0028, 0x0002], vr: 'US', value: 1 },
    { tag: [0x0028, 0x0004], vr: 'CS', value: 'MONOCHROME2' },
    { tag: [0x0028, 0x0008], vr: 'IS', value: String(frames.length) },
    { tag: [0x0028, 0x0010], vr: 'US', value: height },
    { tag: [0x0028, 0x0011], vr: 'US', value: width },
    { tag: [0x0028, 0x0100], vr: 'US', value: bits },
    { tag: [0x0028, 0x0101], vr: 'US', value: bits },
    { tag: [0x0028, 0x0102], vr: 'US', value: bits - 1 },
    { tag: [0x0028, 0x0103], vr: 'US', value: 0 },
    { tag: [0x0062, 0x0001], vr: 'CS', value: fractional ? 'FRACTIONAL' : 'BINARY' },
    ...(fractional ? ([{ tag: [0x0062, 0x0010], vr: 'US', value: 255 }] satisfies Attribute[]) : []),
    {
      tag: [0x0062, 0x0002],
      vr: 'SQ',
      items: [
        [
          { tag: [0x0062, 0x0004], vr: 'US', value: 1 },
          { tag: [0x0062, 0x0005], vr: 'LO', value: 'liver' },
          { tag: [0x0062, 0x000d], vr: 'US', value: labRed },
        ],
        [
          { tag: [0x0062, 0x0004], vr: 'US', value: 2 },
          { tag: [0x0062, 0x0005], vr: 'LO', value: 'tumour' },
          { tag: [0x0062, 0x000d], vr: 'US', value: labBlue },
        ],
      ],
    },
    {
      tag: [0x5200, 0x9230],
      vr: 'SQ',
      items: frames.map((frame) => [
        { tag: [0x0008, 0x9124], vr: 'SQ', items: [[{ tag: [0x0008, 0x2112], vr: 'SQ', items: [[{ tag: [0x0008, 0x1150], vr: 'UI', value: ctClass }, { tag: [0x0008, 0x1155], vr: 'UI', value: frame.source }]] }]] },
        { tag: [0x0062, 0x000a], vr: 'SQ', items: [[{ tag: [0x0062, 0x000b], vr: 'US', value: frame.segment }]] },
      ]),
    },
    { tag: [0x7fe0, 0x0010], vr: fractional ? 'OB' : 'OB', bytes: fractional ? Uint8Array.from(frames.flatMap((frame) => Array.from(frame.pixels))) : packBits(frames.map((frame) => frame.pixels)) },
  ];
  return writeDicomDataSet(attributes, { sopClassUid: segmentationStorageUid, sopInstanceUid: '1.2.826.0.1.3680043.9.7313.200' });
}

const setup = importWorkspaces();

async function masksBySource(catalog: ReturnType<typeof setup>['catalog'], datasetId: number): Promise<Map<string, number[]>> {
  const masks = new Map<string, number[]>();
  const rows = catalog.imagesWithAnnotations(datasetId);
  for await (const sample of loadDatasetSamples(catalog, datasetId)) {
    const row = rows.find((r) => r.id === sample.imageId)!;
    masks.set(path.basename(row.sourcePath), Array.from(sample.mask!.data));
  }
  return masks;
}

describe('DICOM-SEG import', () => {
  it('makes a segmentation dataset: segments as classes with colours, a label map per referenced slice, the rest reported', async () => {
    const { root, catalog } = setup();
    for (const index of [1, 2, 3]) writeSlice(root, index);
    // slice 1: liver and tumour (overlapping: the tumour wins), slice 2: liver only, slice 3: not segmented; one frame names a missing image.
    const frames: SegFrame[] = [
      { segment: 2, source: sliceUid(1), pixels: tumour },
      { segment: 1, source: sliceUid(1), pixels: liver },
      { segment: 1, source: sliceUid(2), pixels: liver },
      { segment: 1, source: '1.2.3.404', pixels: liver },
    ];
    writeFile(path.join(root, 'seg/liver.dcm'), segmentation(frames, false));
    expect(detectImportFormat(root).format).toBe('dicom-seg');

    const imported = await importHere(catalog, { path: root, options: { splitRatios: [1, 0, 0] } });
    const dataset = catalog.getDataset(imported.datasetId)!;
    expect(dataset.kind).toBe('segmentation');
    expect(dataset.classes.map((c) => c.name)).toEqual(['background', 'liver', 'tumour']);
    const colours = dataset.options.classColours as Record<string, string>;
    const rgb = (hex: string): number[] => [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));
    expect(rgb(colours.liver!).map((value, channel) => Math.abs(value - [255, 0, 0][channel]!))).toSatisfy((d: number[]) => d.every((x) => x <= 3));
    expect(rgb(colours.tumour!).map((value, channel) => Math.abs(value - [0, 0, 255][channel]!))).toSatisfy((d: number[]) => d.every((x) => x <= 3));

    expect(imported.counts.imported).toBe(2);
    expect(reportOf(imported, 'ct/slice3.dcm').reason).toMatch(/no segmentation in this folder covers this image/);
    expect(imported.files.some((f) => f.path.endsWith('seg/liver.dcm') && /1\.2\.3\.404, which is not in this folder/.test(f.reason ?? ''))).toBe(true);

    const masks = await masksBySource(catalog, imported.datasetId);
    const expectedSlice1 = Array.from(liver, (inLiver, pixel) => (tumour[pixel] ? 2 : inLiver ? 1 : 0));
    expect(masks.get('slice1.dcm')).toEqual(expectedSlice1);
    expect(masks.get('slice2.dcm')).toEqual(Array.from(liver));
    // The images are the CT slices themselves, in HU, grouped by patient.
    const row = catalog.imagesWithAnnotations(imported.datasetId).find((r) => r.sourcePath.endsWith('slice2.dcm'))!;
    expect(row.group).toBe('P-7');
  });

  it('thresholds fractional segments at half the maximum fractional value', async () => {
    const { root, catalog } = setup();
    writeSlice(root, 1);
    const probabilities = Uint8Array.from({ length: width * height }, (_, pixel) => [0, 100, 127, 128, 200, 255][pixel % 6]!);
    writeFile(path.join(root, 'seg.dcm'), segmentation([{ segment: 1, source: sliceUid(1), pixels: probabilities }], true));
    const imported = await importHere(catalog, { path: root, options: { splitRatios: [1, 0, 0] } });
    expect(imported.counts.imported).toBe(1);
    const masks = await masksBySource(catalog, imported.datasetId);
    expect(masks.get('slice1.dcm')).toEqual(Array.from(probabilities, (value) => (value >= 127.5 ? 1 : 0)));
  });

  it('rasterises RT-STRUCT contours onto the slices they name (patient mm to pixels through position, orientation, spacing)', async () => {
    const { root, catalog } = setup();
    // 8 columns x 6 rows, 0.5 mm between columns and 2 mm between rows (so swapped spacings would show), slices 3 mm apart.
    const slice = (index: number): Attribute[] => [
      { tag: [0x0008, 0x0016], vr: 'UI', value: ctClass },
      { tag: [0x0008, 0x0018], vr: 'UI', value: sliceUid(index) },
      { tag: [0x0008, 0x0060], vr: 'CS', value: 'CT' },
      { tag: [0x0010, 0x0020], vr: 'LO', value: 'P-8' },
      { tag: [0x0020, 0x0032], vr: 'DS', value: `-10\\-20\\${3 * index}` },
      { tag: [0x0020, 0x0037], vr: 'DS', value: '1\\0\\0\\0\\1\\0' },
      { tag: [0x0028, 0x0002], vr: 'US', value: 1 },
      { tag: [0x0028, 0x0004], vr: 'CS', value: 'MONOCHROME2' },
      { tag: [0x0028, 0x0010], vr: 'US', value: height },
      { tag: [0x0028, 0x0011], vr: 'US', value: width },
      { tag: [0x0028, 0x0030], vr: 'DS', value: '2\\0.5' },
      { tag: [0x0028, 0x0100], vr: 'US', value: 16 },
      { tag: [0x0028, 0x0101], vr: 'US', value: 12 },
      { tag: [0x0028, 0x0102], vr: 'US', value: 11 },
      { tag: [0x0028, 0x0103], vr: 'US', value: 0 },
      { tag: [0x7fe0, 0x0010], vr: 'OW', bytes: new Uint8Array(width * height * 2).fill(7) },
    ];
    for (const index of [1, 2, 3]) writeFile(path.join(root, `series/ct${index}.dcm`), writeDicomDataSet(slice(index), { sopClassUid: ctClass, sopInstanceUid: sliceUid(index) }));
    /** pixel (column, row) corners to patient mm on slice index */
    const contour = (index: number, corners: Array<[number, number]>): Attribute[] => [
      { tag: [0x3006, 0x0016], vr: 'SQ', items: [[{ tag: [0x0008, 0x1150], vr: 'UI', value: ctClass }, { tag: [0x0008, 0x1155], vr: 'UI', value: sliceUid(index) }]] },
      { tag: [0x3006, 0x0042], vr: 'CS', value: 'CLOSED_PLANAR' },
      { tag: [0x3006, 0x0046], vr: 'IS', value: String(corners.length) },
      { tag: [0x3006, 0x0050], vr: 'DS', value: corners.flatMap(([column, row]) => [-10 + 0.5 * column, -20 + 2 * row, 3 * index]).join('\\') },
    ];
    const structureSet: Attribute[] = [
      { tag: [0x0008, 0x0016], vr: 'UI', value: rtStructureSetStorageUid },
      { tag: [0x0008, 0x0018], vr: 'UI', value: '1.2.826.0.1.3680043.9.7313.300' },
      { tag: [0x0008, 0x0060], vr: 'CS', value: 'RTSTRUCT' },
      {
        tag: [0x3006, 0x0020],
        vr: 'SQ',
        items: [
          [{ tag: [0x3006, 0x0022], vr: 'IS', value: '1' }, { tag: [0x3006, 0x0026], vr: 'LO', value: 'GTV' }],
          [{ tag: [0x3006, 0x0022], vr: 'IS', value: '2' }, { tag: [0x3006, 0x0026], vr: 'LO', value: 'Cord' }],
        ],
      },
      {
        tag: [0x3006, 0x0039],
        vr: 'SQ',
        items: [
          [
            { tag: [0x3006, 0x002a], vr: 'IS', value: '255\\0\\0' },
            { tag: [0x3006, 0x0084], vr: 'IS', value: '1' },
            { tag: [0x3006, 0x0040], vr: 'SQ', items: [contour(1, [[1.5, 0.5], [5.5, 0.5], [5.5, 3.5], [1.5, 3.5]])] },
          ],
          [
            { tag: [0x3006, 0x002a], vr: 'IS', value: '0\\255\\0' },
            { tag: [0x3006, 0x0084], vr: 'IS', value: '2' },
            { tag: [0x3006, 0x0040], vr: 'SQ', items: [contour(1, [[-0.5, 4.5], [0.5, 4.5], [0.5, 5.5], [-0.5, 5.5]]), contour(2, [[3.5, 1.5], [6.5, 1.5], [5, 4.5]])] },
          ],
        ],
      },
    ];
    writeFile(path.join(root, 'rtstruct.dcm'), writeDicomDataSet(structureSet, { sopClassUid: rtStructureSetStorageUid, sopInstanceUid: '1.2.826.0.1.3680043.9.7313.300' }));
    expect(detectImportFormat(root).format).toBe('dicom-seg');
    const imported = await importHere(catalog, { path: root, options: { splitRatios: [1, 0, 0] } });
    const dataset = catalog.getDataset(imported.datasetId)!;
    expect(dataset.classes.map((c) => c.name)).toEqual(['background', 'GTV', 'Cord']);
    expect(dataset.options.classColours).toEqual({ GTV: '#ff0000', Cord: '#00ff00' });
    expect(imported.counts.imported).toBe(2);
    expect(reportOf(imported, 'series/ct3.dcm').reason).toMatch(/no segmentation in this folder covers this image/);
    const masks = await masksBySource(catalog, imported.datasetId);
    const expected1 = Array.from({ length: width * height }, (_, pixel) => {
      const [column, row] = [pixel % width, Math.floor(pixel / width)];
      if (column === 0 && row === 5) return 2;
      return column >= 2 && column <= 5 && row >= 1 && row <= 3 ? 1 : 0;
    });
    expect(masks.get('ct1.dcm')).toEqual(expected1);
    // The triangle (3.5, 1.5) (6.5, 1.5) (5, 4.5), by pixel centres: row 2 spans x 3.75..6.25, row 3 4.25..5.75, row 4 4.75..5.25.
    const triangleRows = [0, 1, 2, 3, 4, 5].map((row) => masks.get('ct2.dcm')!.slice(row * width, row * width + width).map((value, column) => (value === 2 ? column : -1)).filter((column) => column >= 0));
    expect(triangleRows).toEqual([[], [], [4, 5, 6], [5], [5], []]);
  });

  it('refuses to fill contours too detailed for their image instead of spinning', () => {
    const geometry = { rows: 1000, columns: 1000, position: [0, 0, 0], orientation: [1, 0, 0, 0, 1, 0], spacing: [1, 1] };
    const circle = Array.from({ length: 100_000 }, (_, index) => [500 + 400 * Math.cos(index / 1000), 500 + 400 * Math.sin(index / 1000), 0]).flat();
    expect(() => rasteriseContours([{ roiNumber: 1, sopInstanceUid: '1.2', points: circle }], geometry)).toThrow(/too detailed to fill/);
    const square = [100, 100, 0, 200, 100, 0, 200, 200, 0, 100, 200, 0];
    expect(rasteriseContours([{ roiNumber: 1, sopInstanceUid: '1.2', points: square }], geometry).reduce((sum, value) => sum + value, 0)).toBe(101 * 100);
  });

  it('converts DICOM CIELab to sRGB (white, black)', () => {
    expect(cieLabToSrgb([65535, Math.round((128 * 65535) / 255), Math.round((128 * 65535) / 255)])).toBe('#ffffff');
    expect(cieLabToSrgb([0, Math.round((128 * 65535) / 255), Math.round((128 * 65535) / 255)])).toBe('#000000');
    expect(cieLabToSrgb([1, 2])).toBeNull();
  });
});
