/**
 * The overlay lands on the object at full resolution: a synthetic 300 x 200
 * image (not square) whose mask is a known 60 x 60 square, shrunk to the 64 px
 * model input by the engine's own mask resize (a prediction that is exactly
 * right at model resolution), mapped back: the overlay's true-positive pixels
 * cover the square, and no error pixel lies farther from its edge than one
 * model-input pixel.
 */
import { describe, expect, it } from 'vitest';
import { resizeMaskNearest } from '../../../../main/engine/data/resize';
import { boxesToImage, errorColours, errorOverlay, remapClassIds, resampleMask } from '../../../../renderer/src/results/overlayMapping';

const width = 300;
const height = 200;
const square = { x: 60, y: 50, side: 60 };
const inputSize = 64;

function squareMask(): Uint8Array {
  const m = new Uint8Array(width * height);
  for (let y = square.y; y < square.y + square.side; y++) for (let x = square.x; x < square.x + square.side; x++) m[y * width + x] = 1;
  return m;
}

/** distance in pixels outside (+) or inside (-) the square's edge, Chebyshev */
function edgeDistance(x: number, y: number): number {
  const dx = Math.max(square.x - x, x - (square.x + square.side - 1));
  const dy = Math.max(square.y - y, y - (square.y + square.side - 1));
  return Math.max(dx, dy);
}

describe('predictions mapped back onto the full-resolution image', () => {
  it('puts the overlay pixels of a known square on the square', () => {
    const truth = { width, height, data: squareMask() };
    const predicted = { width: inputSize, height: inputSize, data: resizeMaskNearest(truth.data, width, height, inputSize, inputSize) };
    const overlay = errorOverlay(predicted, truth, null, 0);
    expect(overlay.width).toBe(width);
    expect(overlay.height).toBe(height);
    const cell = Math.max(width, height) / inputSize; // one model pixel in image pixels
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        const d = edgeDistance(x, y);
        const rgb = [overlay.rgba[i], overlay.rgba[i + 1], overlay.rgba[i + 2]];
        if (d <= -cell) expect(rgb, `(${x},${y}) inside`).toEqual([...errorColours.truePositive]);
        if (d >= cell) expect(overlay.rgba[i + 3], `(${x},${y}) outside`).toBe(0);
      }
    }
    expect(overlay.truePositives).toBeGreaterThan(0.8 * square.side * square.side);
  });

  it('is exact when the prediction is at full resolution, and separates TP, FP and FN', () => {
    const truth = { width, height, data: squareMask() };
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

  it('maps boxes back by the per-axis scale of the stretch, and stored class ids to task ids', () => {
    expect(boxesToImage([{ x: 16, y: 32, w: 8, h: 16, classId: 2, score: 0.9 }], 64, 640, 480)).toEqual([{ x: 160, y: 240, w: 80, h: 120, classId: 2, score: 0.9 }]);
    expect(Array.from(remapClassIds({ width: 3, height: 1, data: Uint8Array.from([0, 1, 2]) }, [1, null, 0]).data)).toEqual([1, 255, 0]);
    expect(resampleMask({ width: 2, height: 1, data: Uint8Array.from([3, 4]) }, 4, 2).data).toEqual(Uint8Array.from([3, 3, 4, 4, 3, 3, 4, 4]));
  });
});
