import type { MaskFrame } from '../imaging/maskValues';

export interface InstanceBox {
  /** the instance id (the label value) */
  id: number;
  /** pixel box: top-left corner and size, covering every pixel of the instance */
  x: number;
  y: number;
  w: number;
  h: number;
  /** the instance's class id where the publisher gives classes (absent: the one class "object") */
  classId?: number;
}

export interface InstanceFrame {
  /** the stored value -> class map of this frame: 0 background (class 0), every id object (class 1) */
  classMap: Array<{ value: number; classId: number }>;
  /** one box per instance id, in id order */
  boxes: InstanceBox[];
}

/**
 * An instance label image read as objects: 0 is background, every other
 * value one object. Throws on a value that cannot be an id (negative or
 * fractional), which the import reports as the file's skip reason.
 */
export function instancesOfMask(frame: MaskFrame, fileName: string): InstanceFrame {
  const { width, values } = frame;
  const extents = new Map<number, [number, number, number, number]>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === 0) continue;
    if (v < 0 || !Number.isInteger(v)) throw new Error(`${fileName}: value ${v} at pixel ${i % width},${Math.floor(i / width)} is not an instance id (ids are whole numbers from 1, 0 is background)`);
    const x = i % width;
    const y = (i - x) / width;
    const e = extents.get(v);
    if (!e) extents.set(v, [x, y, x, y]);
    else {
      if (x < e[0]) e[0] = x;
      if (x > e[2]) e[2] = x;
      // rows are met in order: y only grows
      e[3] = y;
    }
  }
  const ids = [...extents.keys()].sort((a, b) => a - b);
  return {
    classMap: [{ value: 0, classId: 0 }, ...ids.map((value) => ({ value, classId: 1 }))],
    boxes: ids.map((id) => {
      const [x0, y0, x1, y1] = extents.get(id)!;
      return { id, x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
    }),
  };
}
