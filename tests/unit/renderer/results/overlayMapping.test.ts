/**
 * The overlay lands on the object at full resolution. A synthetic 320 x 240
 * image (4:3) whose mask is a known square and whose box is that square goes
 * through the engine's own preprocessing (letterboxed into the 64 px model
 * input); the sample's mask and box stand for a prediction that is exactly
 * right at model resolution. Mapped back: the square lands exactly where it
 * was (it lies on the model's pixel grid, so the round trip loses nothing),
 * and a square off the grid lands within one model-input pixel.
 */
import { describe, expect, it } from 'vitest';
import { preprocessSample } from '../../../../main/engine/data/preprocessCache';
import { boxesToImage, errorColours, errorOverlay, predictedMaskToImage, remapClassIds } from '../../../../renderer/src/results/overlayMapping';

const width = 320;
const height = 240;
const inputSize = 64;
/** on the model grid: 5 image pixels per input pixel */
const square = { x: 100, y: 50, side: 60 };

function squareMask(sq: { x: number; y: number; side: number }, w = width, h = height): Uint8Array {
  const m = new Uint8Array(w * h);
  for (let y = sq.y; y < sq.y + sq.side; y++) for (let x = sq.x; x < sq.x + sq.side; x++) m[y * w + x] = 1;
  return m;
}

/** the engine's forward letterbox of a grey image with this mask and the square as a box */
function throughTheEngine(mask: Uint8Array, sq: { x: number; y: number; side: number }) {
  const data = new Uint8Array(width * height).fill(100);
  return preprocessSample({ width, height, channels: 1, data, mask, boxes: [{ x: sq.x, y: sq.y, w: sq.side, h: sq.side, classId: 0 }] }, { size: inputSize, normalization: { kind: 'minmax' } });
}

/** distance in pixels outside (+) or inside (-) the square's edge, Chebyshev */
function edgeDistance(sq: { x: number; y: number; side: number }, x: number, y: number): number {
  const dx = Math.max(sq.x - x, x - (sq.x + sq.side - 1));
  const dy = Math.max(sq.y - y, y - (sq.y + sq.side - 1));
  return Math.max(dx, dy);
}

describe('predictions mapped back onto the full-resolution image', () => {
  it('puts the overlay pixels of a known square exactly on the square of a 4:3 image, and its box exactly on it', () => {
    const truth = { width, height, data: squareMask(square) };
    const sample = throughTheEngine(truth.data, square);
    const predicted = { width: inputSize, height: inputSize, data: sample.mask! };
    const overlay = errorOverlay(predicted, truth, null, 0);
    expect(overlay).toMatchObject({ width, height, truePositives: 3600, falsePositives: 0, falseNegatives: 0 });
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        if (edgeDistance(square, x, y) <= 0) expect([overlay.rgba[i], overlay.rgba[i + 1], overlay.rgba[i + 2], overlay.rgba[i + 3]], `(${x},${y}) inside`).toEqual([...errorColours.truePositive, 255]);
        else expect(overlay.rgba[i + 3], `(${x},${y}) outside`).toBe(0);
      }
    }
    // the mask mapped back is the stored mask, pixel for pixel
    expect(Array.from(predictedMaskToImage(predicted, width, height).data)).toEqual(Array.from(truth.data));
    // the box: 4:3 letterbox (scale 0.2, 8 rows of border) there and back
    expect(sample.boxes![0]).toMatchObject({ x: 20, y: 18, w: 12, h: 12 });
    const [back] = boxesToImage(sample.boxes!, inputSize, width, height);
    for (const k of ['x', 'y', 'w', 'h'] as const) expect(back![k]).toBeCloseTo({ x: square.x, y: square.y, w: square.side, h: square.side }[k], 9);
  });

  it('puts a square off the model grid within one model-input pixel of its edge', () => {
    const offGrid = { x: 63, y: 41, side: 57 };
    const truth = { width, height, data: squareMask(offGrid) };
    const predicted = { width: inputSize, height: inputSize, data: throughTheEngine(truth.data, offGrid).mask! };
    const overlay = errorOverlay(predicted, truth, null, 0);
    const cell = 1 / 0.2; // one model pixel in image pixels
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        const d = edgeDistance(offGrid, x, y);
        if (d <= -cell) expect([overlay.rgba[i], overlay.rgba[i + 1], overlay.rgba[i + 2]], `(${x},${y}) inside`).toEqual([...errorColours.truePositive]);
        if (d >= cell) expect(overlay.rgba[i + 3], `(${x},${y}) outside`).toBe(0);
      }
    }
    expect(overlay.truePositives).toBeGreaterThan(0.8 * offGrid.side * offGrid.side);
  });

  it('is exact when the prediction is at full resolution, and separates TP, FP and FN', () => {
    const truth = { width, height, data: squareMask(square) };
    expect(errorOverlay(truth, truth, null, 0)).toMatchObject({ truePositives: 3600, falsePositives: 0, falseNegatives: 0 });
    // the prediction shifted 10 px right: 50 columns hit, 10 false alarms, 10 missed, per row
    const shifted = new Uint8Array(width * height);
    for (let y = square.y; y < square.y + 60; y++) for (let x = square.x + 10; x < square.x + 70; x++) shifted[y * width + x] = 1;
    const o = errorOverlay({ width, height, data: shifted }, truth, 1, 0);
    expect(o).toMatchObject({ truePositives: 3000, falsePositives: 600, falseNegatives: 600 });
    const at = (x: number, y: number) => Array.from(o.rgba.slice((y * width + x) * 4, (y * width + x) * 4 + 3));
    expect(at(square.x + 1, 60)).toEqual([...errorColours.falseNegative]);
    expect(at(square.x + 65, 60)).toEqual([...errorColours.falsePositive]);
    // with no background, class 0 is scored too: the area around the square counts
    expect(errorOverlay(truth, truth, null, null).truePositives).toBe(width * height);
  });

  it('maps boxes back by the letterbox inverse, and stored class ids to task ids', () => {
    // 640 x 480 into 64: scale 0.1, 8 rows of border on top
    expect(boxesToImage([{ x: 16, y: 32, w: 8, h: 16, classId: 2, score: 0.9 }], 64, 640, 480)).toEqual([{ x: 160, y: 240, w: 80, h: 160, classId: 2, score: 0.9 }]);
    expect(Array.from(remapClassIds({ width: 3, height: 1, data: Uint8Array.from([0, 1, 2]) }, [1, null, 0]).data)).toEqual([1, 255, 0]);
    expect(() => predictedMaskToImage({ width: 4, height: 2, data: new Uint8Array(8) }, 8, 8)).toThrow(/not the square model input/);
  });
});
