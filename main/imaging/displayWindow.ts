import type { DecodedImage } from './decodedImage';
import { sampleRange } from './pixelValues';

/** A linear VOI window: values centre +- width/2 map to black..white. */
export interface DisplayWindow {
  center: number;
  width: number;
}

function positiveNumber(value: unknown): number | null {
  // Stryker disable next-line ConditionalExpression: equivalent, Number.isFinite is false for anything not a number
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}

function finiteNumber(value: unknown): number | null {
  // Stryker disable next-line ConditionalExpression: equivalent, Number.isFinite is false for anything not a number
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * The window to show an image with: the caller's, else the one the file
 * carries (DICOM window centre/width), else the data's full range.
 */
export function chooseDisplayWindow(image: DecodedImage, requested: { windowCenter?: number; windowWidth?: number } = {}): DisplayWindow {
  const requestedWidth = positiveNumber(requested.windowWidth);
  const requestedCenter = finiteNumber(requested.windowCenter);
  if (requestedWidth !== null && requestedCenter !== null) return { center: requestedCenter, width: requestedWidth };
  const storedWidth = positiveNumber(image.metadata?.windowWidth);
  const storedCenter = finiteNumber(image.metadata?.windowCenter);
  if (storedWidth !== null && storedCenter !== null) return { center: storedCenter, width: storedWidth };
  const [min, max] = sampleRange(image.data);
  return { center: (min + max) / 2, width: max - min };
}

/**
 * Samples through the window to 0..255, inverting afterwards for
 * MONOCHROME1 (where the stored minimum means white), as DICOM orders it.
 */
export function windowTo8Bit(image: DecodedImage, window: DisplayWindow): Uint8Array {
  const low = window.center - window.width / 2;
  const scale = window.width > 0 ? 255 / window.width : 0;
  const invert = image.photometric === 'MONOCHROME1';
  const output = new Uint8Array(image.data.length);
  // Stryker disable next-line EqualityOperator: equivalent, index `length` writes past the output's end (ignored)
  for (let index = 0; index < output.length; index++) {
    const value = image.data[index] as number;
    let level = scale === 0 ? (value > low ? 255 : 0) : (value - low) * scale;
    // Stryker disable next-line EqualityOperator: equivalent, clamping 0 to 0 or 255 to 255 changes nothing
    level = level < 0 ? 0 : level > 255 ? 255 : Math.round(level);
    output[index] = invert ? 255 - level : level;
  }
  return output;
}
