import { describe, expect, it } from 'vitest';
import { GrowableSeries } from '../../../../renderer/src/charts/growableSeries';

describe('GrowableSeries', () => {
  it('grows past its capacity and exposes views of the filled part', () => {
    const s = new GrowableSeries(2);
    for (let i = 0; i < 5; i++) s.push(i, i * i);
    expect(s.length).toBe(5);
    expect([...s.x]).toEqual([0, 1, 2, 3, 4]);
    expect([...s.y]).toEqual([0, 1, 4, 9, 16]);
    expect(s.last()).toEqual({ x: 4, y: 16 });
    expect(new GrowableSeries().last()).toBeNull();
  });
});
