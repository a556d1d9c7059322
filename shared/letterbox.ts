/**
 * Letterbox geometry: how an image of any size and aspect ratio sits in the
 * square model input, and the exact maps between the two. The image is scaled
 * by one factor (its long side fills the input) and centred; the rest of the
 * square is padding. Training, studies and prediction use the forward map
 * (main/engine/data/preprocessCache), the Results page and the exports the
 * inverse (renderer/src/results/overlayMapping), so a box or mask the model
 * predicts lands on the stored image where the model saw it.
 *
 * Pure and runtime-neutral: no DOM, no Node.
 */

/** Mask value of a padding pixel (outside the image): ignored by the loss and the metrics, drawn as nothing. */
export const outsideImageClass = 255;

export interface Letterbox {
  /** the stored image */
  width: number;
  height: number;
  /** side of the square model input */
  size: number;
  /** input pixels per image pixel, the same on both axes */
  scale: number;
  /** where the image's top-left corner lands in the input, in whole input pixels */
  offsetX: number;
  offsetY: number;
  /** the image's extent in the input, whole input pixels */
  contentWidth: number;
  contentHeight: number;
}

/**
 * The letterbox of a width x height image in a size x size input. The scaled
 * extent is rounded to whole pixels and the scale recomputed per axis would
 * distort; instead the scale is size / long side exactly, the long side fills
 * the input, and the short side's extent is rounded (at most half a pixel of
 * the input, split between the two borders).
 */
export function letterbox(width: number, height: number, size: number): Letterbox {
  if (!(width > 0 && height > 0 && size > 0)) throw new Error(`letterbox: ${width}x${height} into ${size} px is not a valid geometry`);
  const scale = size / Math.max(width, height);
  const contentWidth = Math.min(size, Math.max(1, Math.round(width * scale)));
  const contentHeight = Math.min(size, Math.max(1, Math.round(height * scale)));
  return { width, height, size, scale, offsetX: Math.floor((size - contentWidth) / 2), offsetY: Math.floor((size - contentHeight) / 2), contentWidth, contentHeight };
}

export interface BoxLike {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A box in stored-image pixels -> model-input pixels. */
export function boxToInput<B extends BoxLike>(box: B, g: Letterbox): B {
  return { ...box, x: box.x * g.scale + g.offsetX, y: box.y * g.scale + g.offsetY, w: box.w * g.scale, h: box.h * g.scale };
}

/** A box in model-input pixels -> stored-image pixels, clipped to the image (a box reaching into the padding ends at the border). */
export function boxToImage<B extends BoxLike>(box: B, g: Letterbox): B {
  const x0 = Math.min(g.width, Math.max(0, (box.x - g.offsetX) / g.scale));
  const y0 = Math.min(g.height, Math.max(0, (box.y - g.offsetY) / g.scale));
  const x1 = Math.min(g.width, Math.max(0, (box.x + box.w - g.offsetX) / g.scale));
  const y1 = Math.min(g.height, Math.max(0, (box.y + box.h - g.offsetY) / g.scale));
  return { ...box, x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/**
 * Nearest-neighbour map of a size x size class-id mask (model input) onto the
 * width x height stored image: each image pixel takes the input pixel its
 * centre falls in. The padding is never read.
 */
export function maskToImage(mask: ArrayLike<number>, g: Letterbox): Uint8Array {
  if (mask.length !== g.size * g.size) throw new Error(`letterbox: a mask of ${mask.length} pixels is not ${g.size}x${g.size}`);
  const out = new Uint8Array(g.width * g.height);
  const column = new Int32Array(g.width);
  for (let x = 0; x < g.width; x++) column[x] = inputIndex(x, g.scale, g.offsetX, g.contentWidth);
  for (let y = 0; y < g.height; y++) {
    const row = inputIndex(y, g.scale, g.offsetY, g.contentHeight) * g.size;
    for (let x = 0; x < g.width; x++) out[y * g.width + x] = mask[row + column[x]!] as number;
  }
  return out;
}

/**
 * Nearest-neighbour map of a width x height class-id mask onto the size x size
 * input: each content pixel takes the image pixel under its centre, padding
 * pixels are outsideImageClass.
 */
export function maskToInput(mask: ArrayLike<number>, g: Letterbox): Uint8Array {
  if (mask.length !== g.width * g.height) throw new Error(`letterbox: a mask of ${mask.length} pixels is not ${g.width}x${g.height}`);
  const out = new Uint8Array(g.size * g.size).fill(outsideImageClass);
  for (let j = 0; j < g.contentHeight; j++) {
    const y = imageIndex(j, g.scale, g.height);
    for (let i = 0; i < g.contentWidth; i++) out[(j + g.offsetY) * g.size + i + g.offsetX] = mask[y * g.width + imageIndex(i, g.scale, g.width)] as number;
  }
  return out;
}

/** The input pixel (offset included) under the centre of image pixel p. */
function inputIndex(p: number, scale: number, offset: number, extent: number): number {
  return offset + Math.min(extent - 1, Math.floor((p + 0.5) * scale));
}

/** The image pixel under the centre of content pixel q (offset excluded). */
function imageIndex(q: number, scale: number, extent: number): number {
  return Math.min(extent - 1, Math.floor((q + 0.5) / scale));
}
