/**
 * Seeded augmentations of one TaskSample that keep the labels consistent
 * with the image: geometric ops move the image, the mask and the boxes
 * together; intensity ops touch only the image. Every op returns a new
 * sample and leaves its input untouched.
 *
 * Box convention: a box covers pixel columns x .. x+w-1, i.e. the continuous
 * interval [x, x+w); flips and rotations map it exactly, scaling maps the
 * interval and clips it to the image.
 */
import { outsideImageClass } from '../../../shared/letterbox';
import { type PixelBox, type TaskSample } from './taskSample';
import { type SeededRandom } from '../../../shared/seededRandom';

export interface AugmentationSettings {
  /** flip left-right with probability 0.5 */
  horizontalFlip: boolean;
  /** flip top-bottom with probability 0.5 */
  verticalFlip: boolean;
  /** rotate by a random multiple of 90 degrees */
  rotate90: boolean;
  /** zoom by a factor drawn log-uniformly from [min, max] (>1 crops in, <1 zooms out with padding); null = off */
  scale: { min: number; max: number; probability: number } | null;
  /** add a brightness offset in [-brightness, brightness] and scale contrast by [1-contrast, 1+contrast] around the mean; null = off */
  intensity: { brightness: number; contrast: number; noise: number; probability: number } | null;
  /** boxes whose clipped width or height falls below this many pixels are dropped */
  minBoxSide: number;
}

export const DEFAULT_AUGMENTATION: AugmentationSettings = {
  horizontalFlip: true,
  verticalFlip: true,
  rotate90: true,
  scale: { min: 0.8, max: 1.25, probability: 0.5 },
  intensity: { brightness: 0.2, contrast: 0.2, noise: 0.05, probability: 0.8 },
  minBoxSide: 2,
};

export const NO_AUGMENTATION: AugmentationSettings = {
  horizontalFlip: false,
  verticalFlip: false,
  rotate90: false,
  scale: null,
  intensity: null,
  minBoxSide: 1,
};

function channelsOf(sample: TaskSample): number {
  const pixels = sample.size * sample.size;
  const channels = sample.image.length / pixels;
  if (!Number.isInteger(channels) || channels < 1) {
    throw new Error(`augment: image of ${sample.image.length} values does not fit a ${sample.size}x${sample.size} sample`);
  }
  if (sample.mask && sample.mask.length !== pixels) throw new Error(`augment: mask has ${sample.mask.length} pixels, expected ${pixels}`);
  return channels;
}

/** Moves every pixel: target (x, y) takes the source pixel with flat index sourceIndex(x, y). */
function remapPixels(sample: TaskSample, sourceIndex: (x: number, y: number) => number): Pick<TaskSample, 'image' | 'mask'> {
  const s = sample.size;
  const c = channelsOf(sample);
  const src = sample.image;
  const image = new Float32Array(src.length);
  const srcMask = sample.mask;
  const mask = srcMask ? new Uint8Array(srcMask.length) : undefined;
  for (let y = 0; y < s; y++) {
    for (let x = 0; x < s; x++) {
      const from = sourceIndex(x, y);
      const to = y * s + x;
      if (c === 3) {
        image[to * 3] = src[from * 3] as number;
        image[to * 3 + 1] = src[from * 3 + 1] as number;
        image[to * 3 + 2] = src[from * 3 + 2] as number;
      } else for (let k = 0; k < c; k++) image[to * c + k] = src[from * c + k] as number;
      if (mask && srcMask) mask[to] = srcMask[from] as number;
    }
  }
  return mask ? { image, mask } : { image };
}

function withLabels(sample: TaskSample, pixels: Pick<TaskSample, 'image' | 'mask'>, boxes: PixelBox[] | undefined): TaskSample {
  const out: TaskSample = { ...sample, image: pixels.image };
  if (pixels.mask) out.mask = pixels.mask;
  if (boxes) out.boxes = boxes;
  return out;
}

/**
 * Any of the 8 flips/rotations of the square in one pass: first the
 * horizontal flip, then the vertical flip, then quarterTurns clockwise turns.
 */
export function dihedralTransform(sample: TaskSample, horizontal: boolean, vertical: boolean, quarterTurns: number): TaskSample {
  const s = sample.size;
  const turns = ((quarterTurns % 4) + 4) % 4;
  // undo the ops in reverse order to find where a target pixel comes from
  const sourceIndex = (x: number, y: number): number => {
    let sx = x;
    let sy = y;
    for (let t = 0; t < turns; t++) {
      const nx = sy; // a clockwise turn puts source (sx, sy) at (s-1-sy, sx)
      sy = s - 1 - sx;
      sx = nx;
    }
    if (vertical) sy = s - 1 - sy;
    if (horizontal) sx = s - 1 - sx;
    return sy * s + sx;
  };
  const boxes = sample.boxes?.map((box) => {
    let b = { ...box };
    if (horizontal) b.x = s - b.x - b.w;
    if (vertical) b.y = s - b.y - b.h;
    for (let t = 0; t < turns; t++) b = { ...b, x: s - b.y - b.h, y: b.x, w: b.h, h: b.w };
    return b;
  });
  return withLabels(sample, remapPixels(sample, sourceIndex), boxes);
}

export function flipHorizontal(sample: TaskSample): TaskSample {
  return dihedralTransform(sample, true, false, 0);
}

export function flipVertical(sample: TaskSample): TaskSample {
  return dihedralTransform(sample, false, true, 0);
}

/** Rotates clockwise by quarterTurns * 90 degrees. */
export function rotate90(sample: TaskSample, quarterTurns: number): TaskSample {
  return dihedralTransform(sample, false, false, quarterTurns);
}

/** Mean of the outermost pixel ring per channel: the padding colour when zooming out (background in most images). */
function borderMean(image: Float32Array, size: number, channels: number): number[] {
  const sums = new Array<number>(channels).fill(0);
  let n = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (x !== 0 && y !== 0 && x !== size - 1 && y !== size - 1) continue;
      for (let k = 0; k < channels; k++) sums[k]! += image[(y * size + x) * channels + k] as number;
      n++;
    }
  }
  return sums.map((v) => v / n);
}

/**
 * Zooms by `scale` (2 = objects twice as large) showing the window whose
 * top-left corner is (offsetX, offsetY) in source pixels; the window side is
 * size / scale. Image: bilinear; mask: nearest; outside the source: the
 * border-mean colour and outsideImageClass in the mask (not
 * scored: class 0 is not necessarily background). Boxes are scaled,
 * clipped, and dropped when a side falls below minBoxSide.
 */
export function scaleCrop(sample: TaskSample, scale: number, offsetX: number, offsetY: number, minBoxSide = 1): TaskSample {
  if (!(scale > 0)) throw new Error(`augment: scale must be > 0, got ${scale}`);
  const s = sample.size;
  const c = channelsOf(sample);
  const fill = borderMean(sample.image, s, c);
  const image = new Float32Array(sample.image.length);
  const mask = sample.mask ? new Uint8Array(sample.mask.length) : undefined;
  const step = 1 / scale;
  for (let y = 0; y < s; y++) {
    const v = offsetY + (y + 0.5) * step; // continuous source coordinate of the target pixel centre
    for (let x = 0; x < s; x++) {
      const u = offsetX + (x + 0.5) * step;
      const to = y * s + x;
      const inside = u >= 0 && v >= 0 && u < s && v < s;
      if (mask && sample.mask) mask[to] = inside ? (sample.mask[Math.floor(v) * s + Math.floor(u)] as number) : outsideImageClass;
      if (!inside) {
        for (let k = 0; k < c; k++) image[to * c + k] = fill[k] as number;
        continue;
      }
      // bilinear between the four nearest pixel centres, clamped at the border
      const fx = Math.min(Math.max(u - 0.5, 0), s - 1);
      const fy = Math.min(Math.max(v - 0.5, 0), s - 1);
      const x0 = Math.floor(fx);
      const y0 = Math.floor(fy);
      const x1 = Math.min(x0 + 1, s - 1);
      const y1 = Math.min(y0 + 1, s - 1);
      const ax = fx - x0;
      const ay = fy - y0;
      for (let k = 0; k < c; k++) {
        const p00 = sample.image[(y0 * s + x0) * c + k] as number;
        const p01 = sample.image[(y0 * s + x1) * c + k] as number;
        const p10 = sample.image[(y1 * s + x0) * c + k] as number;
        const p11 = sample.image[(y1 * s + x1) * c + k] as number;
        image[to * c + k] = (p00 * (1 - ax) + p01 * ax) * (1 - ay) + (p10 * (1 - ax) + p11 * ax) * ay;
      }
    }
  }
  const boxes = sample.boxes
    ?.map((b) => {
      const x0 = Math.max(0, (b.x - offsetX) * scale);
      const y0 = Math.max(0, (b.y - offsetY) * scale);
      const x1 = Math.min(s, (b.x + b.w - offsetX) * scale);
      const y1 = Math.min(s, (b.y + b.h - offsetY) * scale);
      return { ...b, x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
    })
    .filter((b) => b.w >= minBoxSide && b.h >= minBoxSide);
  return withLabels(sample, mask ? { image, mask } : { image }, boxes);
}

/** Image-only change: (v - mean) * contrast + mean + brightness, plus Gaussian noise of the given std. */
export function jitterIntensity(sample: TaskSample, brightness: number, contrast: number, noise = 0, rng?: SeededRandom): TaskSample {
  const src = sample.image;
  let mean = 0;
  for (let i = 0; i < src.length; i++) mean += src[i] as number;
  mean /= src.length || 1;
  const image = new Float32Array(src.length);
  const c = channelsOf(sample);
  const offset = mean * (1 - contrast) + brightness;
  const pixels = src.length / c;
  // one noise draw per pixel, shared by its channels, so grey stays grey
  const noiseField = noise > 0 && rng ? gaussianNoise(pixels, noise, rng) : null;
  for (let p = 0; p < pixels; p++) {
    const n = noiseField ? (noiseField[p] as number) : 0;
    for (let k = 0; k < c; k++) image[p * c + k] = (src[p * c + k] as number) * contrast + offset + n;
  }
  return { ...sample, image };
}

/** n Gaussian values of standard deviation std; Box-Muller using both outputs of each pair (half the transcendental calls). */
function gaussianNoise(n: number, std: number, rng: SeededRandom): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = std * Math.sqrt(-2 * Math.log(1 - rng.next()));
    const a = 2 * Math.PI * rng.next();
    out[i] = r * Math.cos(a);
    if (i + 1 < n) out[i + 1] = r * Math.sin(a);
  }
  return out;
}

/** Applies the configured random augmentations, drawing every choice from rng. */
export function augmentSample(sample: TaskSample, settings: AugmentationSettings, rng: SeededRandom): TaskSample {
  let out = sample;
  const horizontal = settings.horizontalFlip && rng.chance(0.5);
  const vertical = settings.verticalFlip && rng.chance(0.5);
  const turns = settings.rotate90 ? rng.int(0, 3) : 0;
  if (horizontal || vertical || turns) out = dihedralTransform(out, horizontal, vertical, turns);
  if (settings.scale && rng.chance(settings.scale.probability)) {
    const { min, max } = settings.scale;
    const scale = Math.exp(rng.uniform(Math.log(min), Math.log(max)));
    const window = out.size / scale;
    // window inside the image when zooming in, image inside the window when zooming out
    const lo = Math.min(0, out.size - window);
    const hi = Math.max(0, out.size - window);
    out = scaleCrop(out, scale, rng.uniform(lo, hi), rng.uniform(lo, hi), settings.minBoxSide);
  }
  if (settings.intensity && rng.chance(settings.intensity.probability)) {
    const { brightness, contrast, noise } = settings.intensity;
    out = jitterIntensity(out, rng.uniform(-brightness, brightness), rng.uniform(1 - contrast, 1 + contrast), noise, rng);
  }
  return out === sample ? { ...sample } : out;
}
