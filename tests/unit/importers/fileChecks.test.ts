import { describe, expect, it } from 'vitest';
import jpeg from 'jpeg-js';
import { checkJpegStructure } from '../../../main/imaging/jpegStructureCheck';
import { checkPngChunks } from '../../../main/imaging/pngChunkCheck';
import { parseNpy } from '../../../main/importers/npyArray';
import { toPixelBox } from '../../../main/importers/boxGeometry';
import { parseYoloLabels } from '../../../main/importers/planners/yoloPlanner';
import { parseVocAnnotation } from '../../../main/importers/planners/vocPlanner';
import { npyBytes, pngBytes } from './generatedFixtures';

function jpegBytes(): Uint8Array {
  const data = Buffer.alloc(16 * 8 * 4, 128);
  return new Uint8Array(jpeg.encode({ data, width: 16, height: 8 }, 90).data);
}

describe('quick integrity checks at import', () => {
  it('PNG: reads the header, refuses truncation and a missing IEND', () => {
    const png = pngBytes({ width: 20, height: 10, channels: 3, depth: 16 });
    expect(checkPngChunks(png, 'a.png')).toEqual({ width: 20, height: 10, bitDepth: 16, channels: 3, photometric: 'RGB' });
    expect(() => checkPngChunks(png.subarray(0, png.length - 20), 'a.png')).toThrow(/a\.png: truncated PNG/);
    expect(() => checkPngChunks(png.subarray(0, png.length - 12), 'a.png')).toThrow(/no IEND/);
  });

  it('JPEG: reads the frame header, refuses a file cut before EOI', () => {
    const bytes = jpegBytes();
    expect(checkJpegStructure(bytes, 'b.jpg')).toMatchObject({ width: 16, height: 8, bitDepth: 8, channels: 3 });
    expect(() => checkJpegStructure(bytes.subarray(0, bytes.length - 30), 'b.jpg')).toThrow(/b\.jpg: truncated JPEG/);
    expect(() => checkJpegStructure(bytes.subarray(0, 40), 'b.jpg')).toThrow(/b\.jpg: truncated JPEG/);
  });
});

describe('parseNpy', () => {
  it('reads shape and uint8 data, and names truncated arrays', () => {
    const bytes = npyBytes([2, 3], new Uint8Array([1, 2, 3, 4, 5, 6]));
    const array = parseNpy(bytes, 'x.npy');
    expect(array.shape).toEqual([2, 3]);
    expect(Array.from(array.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => parseNpy(bytes.subarray(0, bytes.length - 2), 'x.npy')).toThrow(/x\.npy: truncated \.npy data/);
    expect(() => parseNpy(new Uint8Array(20), 'y.npy')).toThrow(/y\.npy: not a \.npy array/);
  });
});

describe('box geometry', () => {
  it('clips to the image, drops boxes with no area, converts YOLO centre form', () => {
    expect(toPixelBox({ className: 'a', x: -5, y: 2, w: 10, h: 4 }, 20, 10)).toEqual({ box: { x: 0, y: 2, w: 5, h: 4, clipped: true }, problem: 'a box (-5, 2, 10x4) reaches outside the 20x10 image (left edge -5 < 0): clipped' });
    expect(toPixelBox({ className: 'a', x: 30, y: 2, w: 10, h: 4 }, 20, 10).box).toBeNull();
    expect(toPixelBox({ className: 'a', x: 3, y: 2, w: 0, h: 4 }, 20, 10).problem).toMatch(/has no area/);
    expect(toPixelBox({ className: 'a', x: 0.5, y: 0.5, w: 0.5, h: 0.2, normalizedCentre: true }, 20, 10).box).toEqual({ x: 5, y: 4, w: 10, h: 2, clipped: false });
  });

  it('YOLO and VOC parsers name the file and line / object of a problem', () => {
    expect(() => parseYoloLabels('0 0.5 0.5 0.1', 'labels/a.txt', ['x'])).toThrow('labels/a.txt:1: expected "class cx cy w h", found 4 fields');
    expect(() => parseVocAnnotation('<annotation><object><name>x</name><bndbox><xmin>1</xmin><ymin>a</ymin><xmax>3</xmax><ymax>4</ymax></bndbox></object></annotation>', 'A.xml')).toThrow(
      'A.xml object 1: <ymin> is not a number',
    );
    expect(() => parseVocAnnotation('<annotation><object>', 'B.xml')).toThrow(/^B\.xml: malformed XML \(\w+ at line 1 column \d+\)$/);
  });
});
