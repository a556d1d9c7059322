/**
 * Enhanced multi-frame DICOM: rescale, window and geometry live in the
 * Per-frame and Shared Functional Groups, and differ from frame to frame.
 * Fixtures are written in code (tests/fixtures/pixels/enhancedDicomWriter.ts).
 */
import { describe, expect, it } from 'vitest';
import { decodeImageBytes, readImageHeader } from '../../../main/imaging/decodeImageFile';
import { ds, macro, tags, writeEnhancedDicom, type Attribute } from '../../fixtures/pixels/enhancedDicomWriter';

const rows = 2;
const columns = 3;
const frames = 3;
/** frame f holds 10 f + 0..5 (non-square, every frame different) */
const samples = Uint16Array.from({ length: frames * rows * columns }, (_, i) => Math.floor(i / (rows * columns)) * 10 + (i % (rows * columns)));
const storedOf = (f: number): number[] => Array.from(samples.subarray(f * 6, f * 6 + 6));

const rescale = (slope: number, intercept: number, type?: string): Attribute =>
  macro(tags.pixelValueTransformation, ds(tags.rescaleSlope, slope), ds(tags.rescaleIntercept, intercept), ...(type ? [{ tag: tags.rescaleType, vr: 'LO' as const, value: type }] : []));
const window = (center: number, width: number, fn?: string): Attribute =>
  macro(tags.frameVoiLut, ds(tags.windowCenter, center), ds(tags.windowWidth, width), ...(fn ? [{ tag: tags.voiLutFunction, vr: 'CS' as const, value: fn }] : []));
const position = (z: number): Attribute => macro(tags.planePosition, ds(tags.imagePositionPatient, -10, 20.5, z));

describe('enhanced multi-frame DICOM functional groups', () => {
  it('applies the shared group to every frame: rescale, window, spacing, orientation; positions per frame', async () => {
    const bytes = writeEnhancedDicom({
      rows,
      columns,
      frames,
      samples,
      shared: [
        rescale(2, -100, 'HU'),
        window(40, 400, 'LINEAR'),
        macro(tags.pixelMeasures, ds(tags.pixelSpacing, 0.5, 0.7), ds(tags.sliceThickness, 1.25)),
        macro(tags.planeOrientation, ds(tags.imageOrientationPatient, 1, 0, 0, 0, 1, 0)),
      ],
      perFrame: [0, 1, 2].map((f) => [position(f * 2.5)]),
    });
    expect(readImageHeader(bytes, 'shared.dcm')).toMatchObject({ frames: 3, width: columns, height: rows });
    const images = await decodeImageBytes(bytes, 'shared.dcm');
    expect(images).toHaveLength(3);
    images.forEach((image, f) => {
      expect(image.frameIndex).toBe(f);
      expect(image.width).toBe(columns);
      expect(image.height).toBe(rows);
      expect(Array.from(image.data), `frame ${f}`).toEqual(storedOf(f).map((v) => v * 2 - 100));
      expect(image.metadata).toMatchObject({
        rescaleSlope: 2,
        rescaleIntercept: -100,
        rescaleType: 'HU',
        windowCenter: 40,
        windowWidth: 400,
        voiLutFunction: 'LINEAR',
        pixelSpacing: [0.5, 0.7],
        sliceThickness: 1.25,
        imageOrientationPatient: [1, 0, 0, 0, 1, 0],
        imagePositionPatient: [-10, 20.5, f * 2.5],
        frameCount: 3,
      });
    });
  });

  it('reads each frame its own rescale and window, falling back to the shared group per attribute', async () => {
    const bytes = writeEnhancedDicom({
      rows,
      columns,
      frames,
      samples,
      shared: [window(99, 999), rescale(7, 7)],
      perFrame: [
        [rescale(1, 0), window(10, 100)],
        [rescale(2, -50)],
        [rescale(0.5, 10), window(30, 300)],
      ],
    });
    const [f0, f1, f2] = await decodeImageBytes(bytes, 'per-frame.dcm');
    // frame 0: identity rescale keeps the stored integers
    expect(f0!.data).toBeInstanceOf(Uint16Array);
    expect(Array.from(f0!.data)).toEqual(storedOf(0));
    expect(f0!.metadata).toMatchObject({ rescaleSlope: 1, rescaleIntercept: 0, windowCenter: 10, windowWidth: 100 });
    // frame 1: its own rescale (HU may go negative: Int16), the shared window
    expect(f1!.data).toBeInstanceOf(Int16Array);
    expect(Array.from(f1!.data)).toEqual(storedOf(1).map((v) => v * 2 - 50));
    expect(f1!.metadata).toMatchObject({ rescaleSlope: 2, rescaleIntercept: -50, windowCenter: 99, windowWidth: 999 });
    // frame 2: fractional slope to Float32
    expect(f2!.data).toBeInstanceOf(Float32Array);
    expect(Array.from(f2!.data)).toEqual(storedOf(2).map((v) => v * 0.5 + 10));
    expect(f2!.metadata).toMatchObject({ rescaleSlope: 0.5, rescaleIntercept: 10, windowCenter: 30, windowWidth: 300 });
  });

  it('a per-frame macro without the attribute, or with it empty, defers to the shared group', async () => {
    const emptyCenter: Attribute = { tag: tags.windowCenter, vr: 'DS', value: '' };
    const bytes = writeEnhancedDicom({
      rows,
      columns,
      frames: 2,
      samples: samples.subarray(0, 12),
      shared: [rescale(3, 1), window(50, 500)],
      perFrame: [[macro(tags.pixelValueTransformation, { tag: tags.rescaleType, vr: 'LO', value: 'US' }), macro(tags.frameVoiLut, emptyCenter, ds(tags.windowWidth, 80))], []],
    });
    const [f0, f1] = await decodeImageBytes(bytes, 'partial.dcm');
    expect(Array.from(f0!.data)).toEqual(storedOf(0).map((v) => v * 3 + 1));
    expect(f0!.metadata).toMatchObject({ rescaleSlope: 3, rescaleIntercept: 1, rescaleType: 'US', windowCenter: 50, windowWidth: 80 });
    expect(f1!.metadata).toMatchObject({ rescaleSlope: 3, rescaleIntercept: 1, rescaleType: null, windowCenter: 50, windowWidth: 500 });
  });

  it('keeps every fact of a frame, and reads unreadable values as absent', async () => {
    const bytes = writeEnhancedDicom({
      rows,
      columns,
      frames: 1,
      samples: samples.subarray(0, 6),
      topLevel: [{ tag: [0x0010, 0x0020], vr: 'LO', value: ' \0 ' }],
      shared: [
        macro(tags.pixelMeasures, { tag: tags.pixelSpacing, vr: 'DS', value: '0.5\\abc' }, ds(tags.sliceThickness, 2)),
        macro(tags.pixelValueTransformation, ds(tags.rescaleSlope, 1), ds(tags.rescaleIntercept, 0), { tag: tags.rescaleType, vr: 'LO', value: '  ' }),
        macro(tags.planeOrientation, { tag: tags.imageOrientationPatient, vr: 'DS', value: '' }),
      ],
    });
    const [image] = await decodeImageBytes(bytes, 'facts.dcm');
    expect(image!.metadata).toEqual({
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      transferSyntax: 'Explicit VR Little Endian',
      lossyCompressed: 0,
      storedPhotometric: 'MONOCHROME2',
      bitsAllocated: 16,
      bitsStored: 16,
      pixelRepresentation: 0,
      rescaleSlope: 1,
      rescaleIntercept: 0,
      rescaleType: null,
      windowCenter: null,
      windowWidth: null,
      voiLutFunction: null,
      modality: 'CT',
      patientId: null,
      studyInstanceUid: null,
      seriesInstanceUid: null,
      sopInstanceUid: '1.2.826.0.1.3680043.9.7313.9',
      instanceNumber: null,
      pixelSpacing: null,
      sliceThickness: 2,
      imagePositionPatient: null,
      imageOrientationPatient: null,
      frameCount: 1,
    });
  });

  it('keeps identity, lossy flag and imager pixel spacing; blank text reads as absent', async () => {
    const lo = (tag: [number, number], value: string, vr: 'LO' | 'UI' | 'IS' | 'CS' = 'LO'): Attribute => ({ tag, vr, value });
    const bytes = writeEnhancedDicom({
      rows,
      columns,
      frames: 1,
      samples: samples.subarray(0, 6),
      topLevel: [
        lo([0x0010, 0x0020], 'P-7'),
        lo([0x0020, 0x000d], '1.2.3', 'UI'),
        lo([0x0020, 0x000e], '1.2.4', 'UI'),
        lo([0x0020, 0x0013], '5', 'IS'),
        lo([0x0028, 0x2110], '01', 'CS'),
        ds([0x0018, 0x1164], 0.2, 0.3),
        lo([0x0008, 0x0060], '\0 \0', 'CS'),
      ],
    });
    const [image] = await decodeImageBytes(bytes, 'identity.dcm');
    expect(image!.metadata).toMatchObject({ patientId: 'P-7', studyInstanceUid: '1.2.3', seriesInstanceUid: '1.2.4', instanceNumber: 5, lossyCompressed: 1, pixelSpacing: [0.2, 0.3], modality: null });
  });

  it('groups with fewer items than frames, or empty, leave the frame to the next source', async () => {
    const emptySequence = (tag: [number, number]): Attribute => ({ tag, vr: 'SQ', items: [] });
    const bytes = writeEnhancedDicom({
      rows,
      columns,
      frames: 3,
      samples,
      shared: [rescale(2, 1), emptySequence(tags.frameVoiLut)],
      perFrame: [[rescale(3, 0)]],
    });
    const images = await decodeImageBytes(bytes, 'short.dcm');
    expect(images.map((i) => i.metadata!.rescaleSlope)).toEqual([3, 2, 2]);
    expect(images.map((i) => i.metadata!.windowCenter)).toEqual([null, null, null]);
    const noShared = writeEnhancedDicom({ rows, columns, frames: 1, samples: samples.subarray(0, 6), topLevel: [emptySequence([0x5200, 0x9229])] });
    expect((await decodeImageBytes(noShared, 'empty-shared.dcm'))[0]!.metadata!.rescaleSlope).toBe(1);
  });

  it('top-level attributes come first; no groups at all means identity rescale and no window', async () => {
    const withTop = writeEnhancedDicom({ rows, columns, frames: 2, samples: samples.subarray(0, 12), topLevel: [ds(tags.rescaleSlope, 4), ds(tags.rescaleIntercept, -2)], perFrame: [[rescale(2, 0)], [rescale(2, 0)]] });
    const [t0, t1] = await decodeImageBytes(withTop, 'top.dcm');
    expect(Array.from(t1!.data)).toEqual(storedOf(1).map((v) => v * 4 - 2));
    expect(t0!.metadata).toMatchObject({ rescaleSlope: 4, rescaleIntercept: -2 });
    const bare = writeEnhancedDicom({ rows, columns, frames: 2, samples: samples.subarray(0, 12) });
    const [b0] = await decodeImageBytes(bare, 'bare.dcm');
    expect(Array.from(b0!.data)).toEqual(storedOf(0));
    expect(b0!.metadata).toMatchObject({ rescaleSlope: 1, rescaleIntercept: 0, windowCenter: null, windowWidth: null, pixelSpacing: null, imagePositionPatient: null });
  });
});
