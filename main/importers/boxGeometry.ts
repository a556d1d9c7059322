import type { PlannedBox } from './importPlan';

export interface PixelBoxResult {
  box: { x: number; y: number; w: number; h: number; clipped: boolean } | null;
  /** set when the box was clipped or dropped */
  problem: string | null;
}

/**
 * A published box in pixels of a width x height image (YOLO boxes are
 * converted from normalised centre form), clipped to the image. A box left
 * with no area after clipping is dropped.
 */
export function toPixelBox(box: PlannedBox, width: number, height: number): PixelBoxResult {
  let { x, y, w, h } = box;
  if (box.normalizedCentre) {
    w = box.w * width;
    h = box.h * height;
    x = box.x * width - w / 2;
    y = box.y * height - h / 2;
  }
  if (!(w > 0 && h > 0)) return { box: null, problem: `${box.className} box at (${round(x)}, ${round(y)}) has no area (${round(w)}x${round(h)}): dropped` };
  const x0 = Math.max(0, x);
  const y0 = Math.max(0, y);
  const x1 = Math.min(width, x + w);
  const y1 = Math.min(height, y + h);
  const describe = () => `${box.className} box (${round(x)}, ${round(y)}, ${round(w)}x${round(h)})`;
  if (x1 - x0 <= 0 || y1 - y0 <= 0) return { box: null, problem: `${describe()} lies outside the ${width}x${height} image: dropped` };
  // less than half a pixel over an edge is the rounding of normalised coordinates, not a box outside the image
  const crossed = [
    x < -subPixel ? `left edge ${round(x)} < 0` : null,
    y < -subPixel ? `top edge ${round(y)} < 0` : null,
    x + w > width + subPixel ? `right edge ${round(x + w)} > ${width}` : null,
    y + h > height + subPixel ? `bottom edge ${round(y + h)} > ${height}` : null,
  ].filter((c): c is string => c !== null);
  return {
    box: { x: x0, y: y0, w: x1 - x0, h: y1 - y0, clipped: crossed.length > 0 },
    problem: crossed.length > 0 ? `${describe()} reaches outside the ${width}x${height} image (${crossed.join(', ')}): clipped` : null,
  };
}

/** How far (pixels) a box may cross an edge before it counts as reaching outside the image. */
export const subPixel = 0.5;

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
