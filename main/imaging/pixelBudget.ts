import { readImageHeader, type ImageHeader } from './decodeImageFile';

/** Default pixel budget: 100 megapixels a frame (a 10,000 x 10,000 slide tile), 20 frames' worth a file. */
export const defaultMegapixelsPerFrame = 100;

/**
 * The pixel budget in force: the UMEDPT_MAX_MEGAPIXELS setting (environment, so every worker process
 * shares it) or the default. A file over it is skipped with its reason, never decoded.
 */
export function pixelBudget(env: NodeJS.ProcessEnv = process.env): { framePixels: number; filePixels: number } {
  const configured = Number(env.UMEDPT_MAX_MEGAPIXELS);
  const megapixels = Number.isFinite(configured) && configured > 0 ? configured : defaultMegapixelsPerFrame;
  return { framePixels: megapixels * 1e6, filePixels: megapixels * 20e6 };
}

/** Why a header is over the budget, or null. Pure: the header is all it needs. */
export function overPixelBudget(header: Pick<ImageHeader, 'width' | 'height' | 'frames'>, budget = pixelBudget()): string | null {
  const framePixels = header.width * header.height;
  const mp = (n: number) => `${Math.round(n / 1e5) / 10} megapixels`;
  if (!Number.isFinite(framePixels) || framePixels > budget.framePixels) {
    return `${header.width}x${header.height} is ${mp(framePixels)} a frame, over the pixel budget of ${mp(budget.framePixels)} (setting UMEDPT_MAX_MEGAPIXELS): not decoded`;
  }
  const filePixels = framePixels * Math.max(1, header.frames);
  if (filePixels > budget.filePixels) {
    return `${header.frames} frames of ${header.width}x${header.height} are ${mp(filePixels)}, over the pixel budget of ${mp(budget.filePixels)} a file (setting UMEDPT_MAX_MEGAPIXELS): not decoded`;
  }
  return null;
}

/**
 * Reads the header alone and throws (problem text) when the file is over the budget. A header that cannot be
 * read is left to the decoder, which reports what is wrong with the file.
 */
export function checkPixelBudget(bytes: Uint8Array, fileName: string, options: { niftiAxis?: 'axial' | 'coronal' | 'sagittal' } = {}): void {
  let header: ImageHeader;
  try {
    header = readImageHeader(bytes, fileName, options);
  } catch {
    return;
  }
  const problem = overPixelBudget(header);
  if (problem) throw new Error(problem);
}
