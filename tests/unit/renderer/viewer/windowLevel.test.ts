import { describe, expect, it } from 'vitest';
import { dragWindow, fileWindow, isWindowable, presetsFor, windowParams } from '../../../../renderer/src/viewer/windowLevel';

describe('windowLevel', () => {
  it('offers CT presets only for CT, and the file window when DICOM has one', () => {
    const ct = presetsFor('CT', { WindowCenter: '40\\50', WindowWidth: 350 });
    expect(ct.map((p) => p.id)).toEqual(['auto', 'file', 'soft-tissue', 'lung', 'bone', 'brain']);
    expect(ct[1]!.window).toEqual({ center: 40, width: 350 });
    expect(presetsFor('MR', {}).map((p) => p.id)).toEqual(['auto']);
    expect(fileWindow({ window_center: 10, window_width: 0 })).toBeNull();
  });

  it('decides when window/level applies', () => {
    expect(isWindowable(16, null)).toBe(true);
    expect(isWindowable(8, 'CT')).toBe(true);
    expect(isWindowable(8, null)).toBe(false);
  });

  it('drags width horizontally and level vertically, never below width 1', () => {
    const w = dragWindow({ center: 100, width: 1000 }, 50, -25);
    expect(w.width).toBeCloseTo(1200);
    expect(w.center).toBeCloseTo(0);
    expect(dragWindow({ center: 0, width: 10 }, -100000, 0).width).toBe(1);
  });

  it('writes preview query parameters', () => {
    expect(windowParams(null)).toBe('');
    expect(windowParams({ center: -600, width: 1500.123 })).toBe('&windowCenter=-600&windowWidth=1500.12');
  });
});
