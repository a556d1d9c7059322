/** Boxes as top-left corner + size, in pixels (PixelBox without the class). */
export interface XywhBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Intersection over union of two boxes (continuous coordinates, as COCO: area = w * h). */
export function boxIou(a: XywhBox, b: XywhBox): number {
  const iw = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  if (iw <= 0) return 0;
  const ih = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  if (ih <= 0) return 0;
  const inter = iw * ih;
  return inter / (a.w * a.h + b.w * b.h - inter);
}
