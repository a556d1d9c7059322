import type { DecodedImage } from './decodedImage';

export interface MaskFrame {
  width: number;
  height: number;
  /** one stored value per pixel */
  values: Uint8Array | Uint16Array | Int16Array | Float32Array;
}

/**
 * The label values of a decoded mask: single-channel integer images, or
 * colour images whose channels are all equal (grey saved as RGB).
 */
export function maskFrameOf(image: DecodedImage, fileName: string): MaskFrame {
  const { width, height, channels, data } = image;
  let values: MaskFrame['values'];
  if (channels === 1) values = data;
  else {
    const out = new Uint16Array(width * height);
    for (let p = 0; p < width * height; p++) {
      const v = data[p * channels]!;
      for (let c = 1; c < Math.min(channels, 3); c++) {
        if (data[p * channels + c] !== v) throw new Error(`${fileName}: colour mask (pixel ${p % width},${Math.floor(p / width)} has different channel values); masks must hold integer class values`);
      }
      out[p] = v;
    }
    values = out;
  }
  if (values instanceof Float32Array) {
    for (let i = 0; i < values.length; i++) if (!Number.isInteger(values[i])) throw new Error(`${fileName}: mask holds non-integer value ${values[i]}`);
  }
  return { width, height, values };
}

export function distinctValues(values: ArrayLike<number>): number[] {
  const seen = new Set<number>();
  for (let i = 0; i < values.length; i++) seen.add(values[i]!);
  return [...seen].sort((a, b) => a - b);
}

/** Class ids of a mask under a value -> class map; throws on a value the map does not name. */
export function maskToClassIds(frame: MaskFrame, valueToClass: Map<number, number>, fileName: string): Uint8Array {
  const out = new Uint8Array(frame.values.length);
  for (let i = 0; i < frame.values.length; i++) {
    const id = valueToClass.get(frame.values[i]!);
    if (id === undefined) throw new Error(`${fileName}: mask value ${frame.values[i]} is not in the class map`);
    out[i] = id;
  }
  return out;
}
