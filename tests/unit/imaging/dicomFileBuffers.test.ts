import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeImageFrames } from '../../../main/imaging/imageCodec';
import { encodeJpegLosslessSv1 } from '../../fixtures/pixels/dicomEncoders';
import { transferSyntax, writeDicom } from '../../fixtures/pixels/dicomWriter';
import { patternSamples } from '../../fixtures/pixels/rasterWriters';

// The importer and the content store read files with readFileSync: Node Buffers, often views into a
// larger pooled ArrayBuffer. Decoders that take `.buffer` must not see the rest of it.
describe('DICOM read from disk as a Node Buffer', () => {
  const folder = mkdtempSync(join(tmpdir(), 'dicom-buffers-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('decodes multi-frame JPEG Lossless SV1 (one fragment per frame) frame by frame', async () => {
    const width = 40;
    const height = 24;
    const frames = [0, 1, 2, 3].map((frame) => Uint16Array.from(patternSamples(width, height, 1, 4095, 7 + frame)));
    const bytes = writeDicom({ rows: height, columns: width, bitsStored: 12, frames: frames.length }, transferSyntax.jpegLosslessSv1, {
      fragments: frames.map((frame) => [encodeJpegLosslessSv1(frame, width, height, 12)]),
    });
    const path = join(folder, 'lossless-4-frames.dcm');
    writeFileSync(path, bytes);
    const fromDisk = readFileSync(path);
    expect(Buffer.isBuffer(fromDisk)).toBe(true);
    const images = await decodeImageFrames(fromDisk, path);
    expect(images.map((image) => image.frameIndex)).toEqual([0, 1, 2, 3]);
    images.forEach((image, index) => {
      expect(image.data).toBeInstanceOf(Uint16Array);
      expect(Array.from(image.data), `frame ${index}`).toEqual(Array.from(frames[index]!));
    });
  });

  it('decodes an 8-bit native frame from a pooled Buffer into its own copy', async () => {
    const samples = Uint8Array.from(patternSamples(16, 8, 1, 255, 2));
    const bytes = writeDicom({ rows: 8, columns: 16, bitsAllocated: 8 }, transferSyntax.explicitLittle, { native: samples });
    const pooled = Buffer.from(bytes); // small Buffers come from Node's shared pool, at an offset
    const [image] = await decodeImageFrames(pooled, 'native8.dcm');
    expect(Array.from(image!.data)).toEqual(Array.from(samples));
    expect(image!.data.byteLength).toBe(image!.data.buffer.byteLength);
  });
});
