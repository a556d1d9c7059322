import { describe, expect, it } from 'vitest';
import { etaSeconds, formatBytes, formatDuration, formatRate, percent } from '../../../../renderer/src/lib/format';

describe('format', () => {
  it('formats durations at three scales', () => {
    expect(formatDuration(45.4)).toBe('45 s');
    expect(formatDuration(200)).toBe('3 min 20 s');
    expect(formatDuration(7500)).toBe('2 h 05 min');
    expect(formatDuration(Number.NaN)).toBe('–');
  });

  it('computes an ETA only from a positive rate', () => {
    expect(etaSeconds(20, 120, 10)).toBe(10);
    expect(etaSeconds(20, 120, 0)).toBeNull();
    expect(etaSeconds(130, 120, 5)).toBe(0);
  });

  it('formats bytes, rates and percents', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(300 * 1024 * 1024)).toBe('300 MiB');
    expect(formatRate(12.34, 'img')).toBe('12.3 img/s');
    expect(formatRate(0, 'img')).toBe('– img/s');
    expect(percent(5, 0)).toBe(0);
    expect(percent(3, 4)).toBe(75);
  });
});
