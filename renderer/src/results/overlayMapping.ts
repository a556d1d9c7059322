/**
 * Model outputs mapped back onto the stored image. The engine letterboxes each
 * image into the square model input (shared/letterbox: one scale, centred,
 * padded), so the inverse is that letterbox's inverse map: boxes by the
 * affine map, masks by nearest neighbour, the padding never read. The viewer
 * then draws everything over the full-resolution image, at its own aspect
 * ratio, with the dataset viewer's window/level.
 */
import { boxToImage, letterbox, maskToImage } from '../../../shared/letterbox';
/** one class id per pixel, row-major (the viewer's MaskCanvas takes the same shape) */
export interface ClassIdPixels {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface PixelBoxLike {
  x: number;
  y: number;
  w: number;
  h: number;
  classId: number;
  score?: number;
}

/** Boxes in model-input pixels -> boxes in stored-image pixels (the letterbox's inverse). */
export function boxesToImage<B extends PixelBoxLike>(boxes: readonly B[], inputSize: number, width: number, height: number): B[] {
  const g = letterbox(width, height, inputSize);
  return boxes.map((b) => boxToImage(b, g));
}

/** A predicted mask at the square model input -> the width x height stored image (the letterbox's inverse); unchanged when already that size. */
export function predictedMaskToImage(mask: ClassIdPixels, width: number, height: number): ClassIdPixels {
  if (mask.width === width && mask.height === height) return mask;
  if (mask.width !== mask.height) throw new Error(`a predicted mask of ${mask.width}x${mask.height} is not the square model input`);
  return { width, height, data: maskToImage(mask.data, letterbox(width, height, mask.width)) };
}

/** Stored class ids -> task class ids (a dropped class becomes 255, drawn as nothing). */
export function remapClassIds(mask: ClassIdPixels, map: ReadonlyArray<number | null> | null): ClassIdPixels {
  if (!map) return mask;
  const data = mask.data.map((v) => map[v] ?? 255);
  return { ...mask, data };
}

export const errorColours = {
  truePositive: [0, 158, 115],
  falsePositive: [213, 94, 0],
  falseNegative: [86, 180, 233],
} as const;

export interface ErrorOverlay {
  width: number;
  height: number;
  /** RGBA: true positives, false positives and false negatives in errorColours, the rest transparent */
  rgba: Uint8ClampedArray;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

/**
 * Where the prediction agrees with the truth, at the truth's resolution (the
 * prediction, at the model input, is mapped onto it by the letterbox's inverse). `classId`: one class; null: every scored
 * class (the background, if any, is not an object: predicting it is neither
 * a hit nor a false alarm).
 */
export function errorOverlay(predicted: ClassIdPixels, truth: ClassIdPixels, classId: number | null, background: number | null): ErrorOverlay {
  const p = predictedMaskToImage(predicted, truth.width, truth.height).data;
  const t = truth.data;
  const rgba = new Uint8ClampedArray(truth.width * truth.height * 4);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const counts = (k: number) => k !== 255 && k !== background && (classId === null || k === classId);
  for (let i = 0; i < t.length; i++) {
    const pk = counts(p[i]!);
    const tk = counts(t[i]!);
    let colour: readonly number[] | null = null;
    if (pk && tk && p[i] === t[i]) {
      tp++;
      colour = errorColours.truePositive;
    } else if (pk) {
      fp++;
      colour = errorColours.falsePositive;
    } else if (tk) {
      fn++;
      colour = errorColours.falseNegative;
    }
    if (tk && pk && p[i] !== t[i]) fn++; // a pixel of one class predicted as another: missed for its own class too
    if (colour) {
      rgba[i * 4] = colour[0]!;
      rgba[i * 4 + 1] = colour[1]!;
      rgba[i * 4 + 2] = colour[2]!;
      rgba[i * 4 + 3] = 255;
    }
  }
  return { width: truth.width, height: truth.height, rgba, truePositives: tp, falsePositives: fp, falseNegatives: fn };
}
