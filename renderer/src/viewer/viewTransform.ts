/** Screen position of image pixel (u, v): (x + u * scale, y + v * scale). */
export interface ViewTransform {
  scale: number;
  x: number;
  y: number;
}

export const minScale = 0.02;
export const maxScale = 64;

/** The whole image centred in the view, never enlarged past `maxFit`. */
export function fitTransform(imageWidth: number, imageHeight: number, viewWidth: number, viewHeight: number, maxFit = 8): ViewTransform {
  if (imageWidth <= 0 || imageHeight <= 0 || viewWidth <= 0 || viewHeight <= 0) return { scale: 1, x: 0, y: 0 };
  const scale = Math.min(viewWidth / imageWidth, viewHeight / imageHeight, maxFit);
  return { scale, x: (viewWidth - imageWidth * scale) / 2, y: (viewHeight - imageHeight * scale) / 2 };
}

/** Zooms by `factor` keeping the image point under screen point (px, py) where it is. */
export function zoomAt(t: ViewTransform, factor: number, px: number, py: number): ViewTransform {
  const scale = Math.min(maxScale, Math.max(minScale, t.scale * factor));
  const k = scale / t.scale;
  return { scale, x: px - (px - t.x) * k, y: py - (py - t.y) * k };
}

export function panBy(t: ViewTransform, dx: number, dy: number): ViewTransform {
  return { scale: t.scale, x: t.x + dx, y: t.y + dy };
}

/** Image pixel under a screen point (for the cursor read-out). */
export function screenToImage(t: ViewTransform, sx: number, sy: number): { u: number; v: number } {
  return { u: (sx - t.x) / t.scale, v: (sy - t.y) / t.scale };
}
