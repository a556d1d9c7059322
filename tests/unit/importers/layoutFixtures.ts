/**
 * Dataset layouts as publishers ship them, generated in code: a retinal-vessel
 * style tree (split/images/NN_training.png + split/manual/NN_manual1.png) and
 * instance label images (16-bit, one id per object).
 */
import path from 'node:path';
import { encode } from 'fast-png';
import { maskPngBytes, writeFile, writePng } from './generatedFixtures';

/** train/images/NN_training.png + train/manual/NN_manual1.png, the same under test/; extra folders beside them on request. */
export function writeVesselLayout(root: string, options: { trainIds?: number[]; testIds?: number[]; extraMaskFolder?: string; trainName?: string; testName?: string } = {}): void {
  const { trainIds = [21, 22, 23, 24, 25], testIds = [1, 2, 3], trainName = 'train', testName = 'test' } = options;
  for (const [split, ids, word] of [
    [trainName, trainIds, 'training'],
    [testName, testIds, 'test'],
  ] as const) {
    for (const id of ids) {
      const nn = String(id).padStart(2, '0');
      writePng(path.join(root, split, 'images', `${nn}_${word}.png`), { width: 16, height: 12, seed: id });
      writeFile(path.join(root, split, 'manual', `${nn}_manual1.png`), maskPngBytes(16, 12, 0, 255));
      if (options.extraMaskFolder) writeFile(path.join(root, split, options.extraMaskFolder, `${nn}_${word}_mask.png`), maskPngBytes(16, 12, 255, 255));
    }
  }
}

/**
 * A 16-bit instance label image: `count` objects of 2x2 pixels on a grid
 * (ids 1..count, each at its own place), 0 between them. Side: the image
 * width and height in pixels.
 */
export function instanceLabelPng(count: number, side: number): { png: Uint8Array; boxes: Array<{ id: number; x: number; y: number; w: number; h: number }> } {
  const data = new Uint16Array(side * side);
  const perRow = Math.floor(side / 3);
  if (perRow * perRow < count) throw new Error(`${count} instances do not fit a ${side}x${side} image`);
  const boxes: Array<{ id: number; x: number; y: number; w: number; h: number }> = [];
  for (let id = 1; id <= count; id++) {
    const x = ((id - 1) % perRow) * 3;
    const y = Math.floor((id - 1) / perRow) * 3;
    for (let dy = 0; dy < 2; dy++) for (let dx = 0; dx < 2; dx++) data[(y + dy) * side + x + dx] = id;
    boxes.push({ id, x, y, w: 2, h: 2 });
  }
  return { png: encode({ width: side, height: side, channels: 1, depth: 16, data }), boxes };
}
