import { describe, expect, it } from 'vitest';
import { fitTransform, panBy, screenToImage, zoomAt } from '../../../../renderer/src/viewer/viewTransform';

describe('viewTransform', () => {
  it('fits and centres a wide image', () => {
    const t = fitTransform(400, 100, 200, 200);
    expect(t.scale).toBe(0.5);
    expect(t.x).toBe(0);
    expect(t.y).toBe(75);
  });

  it('keeps the image point under the cursor fixed while zooming', () => {
    const t = { scale: 2, x: 10, y: 20 };
    const before = screenToImage(t, 110, 70);
    const zoomed = zoomAt(t, 1.7, 110, 70);
    const after = screenToImage(zoomed, 110, 70);
    expect(zoomed.scale).toBeCloseTo(3.4);
    expect(after.u).toBeCloseTo(before.u);
    expect(after.v).toBeCloseTo(before.v);
  });

  it('clamps the zoom and pans by screen pixels', () => {
    expect(zoomAt({ scale: 50, x: 0, y: 0 }, 10, 0, 0).scale).toBe(64);
    expect(panBy({ scale: 2, x: 1, y: 1 }, 5, -3)).toEqual({ scale: 2, x: 6, y: -2 });
  });
});
