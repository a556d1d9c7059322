import { describe, expect, it } from 'vitest';
import { ThumbnailCache } from '../../../../renderer/src/datasets/thumbnailCache';
import type { ThumbnailBatch } from '../../../../shared/api/catalog';

/** A cache whose ticks run when the test says, over a transport that records every call. */
function harness(answer: (ids: number[]) => ThumbnailBatch | Error, options: { batchSize?: number; capacity?: number } = {}) {
  const calls: number[][] = [];
  const ticks: Array<() => void> = [];
  const cache = new ThumbnailCache(
    async (ids) => {
      calls.push(ids);
      const result = answer(ids);
      if (result instanceof Error) throw result;
      return result;
    },
    { ...options, schedule: (run) => ticks.push(run) },
  );
  const tick = async () => {
    ticks.splice(0).forEach((run) => run());
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { cache, calls, tick };
}

const ok = (ids: number[]): ThumbnailBatch => ({ items: ids.map((imageId) => ({ imageId, png: `png${imageId}` })) });

describe('thumbnail cache', () => {
  it('sends everything asked for in one tick as one call, in batches, and never asks twice', async () => {
    const { cache, calls, tick } = harness(ok, { batchSize: 4 });
    const heard: number[][] = [];
    cache.subscribe((arrived) => heard.push([...arrived].sort((a, b) => a - b)));
    cache.want([1, 2, 3]);
    cache.want([3, 4, 5, 6]);
    expect(calls).toEqual([]);
    await tick();
    expect(calls).toEqual([
      [1, 2, 3, 4],
      [5, 6],
    ]);
    expect(cache.get(2)).toEqual({ url: 'data:image/png;base64,png2' });
    expect(heard).toEqual([
      [1, 2, 3, 4],
      [5, 6],
    ]);
    cache.want([2, 6]);
    await tick();
    expect(calls).toHaveLength(2);
  });

  it('keeps a per-image error, and a failed call marks its images failed', async () => {
    const { cache, tick } = harness((ids) => (ids.includes(9) ? new Error('server gone') : { items: [{ imageId: 1, png: 'a' }, { imageId: 2, error: 'no image 2 in the catalog' }] }));
    cache.want([1, 2]);
    await tick();
    expect(cache.get(1)).toEqual({ url: 'data:image/png;base64,a' });
    expect(cache.get(2)).toEqual({ error: 'no image 2 in the catalog' });
    cache.want([9]);
    await tick();
    expect(cache.get(9)).toEqual({ error: 'server gone' });
  });

  it('forgets the oldest thumbnails beyond its capacity', async () => {
    const { cache, calls, tick } = harness(ok, { capacity: 3 });
    cache.want([1, 2, 3, 4, 5]);
    await tick();
    expect([1, 2, 3, 4, 5].map((id) => cache.get(id) !== undefined)).toEqual([false, false, true, true, true]);
    cache.want([1]);
    await tick();
    expect(calls.at(-1)).toEqual([1]);
  });
});
