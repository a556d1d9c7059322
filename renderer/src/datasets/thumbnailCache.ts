import type { ThumbnailBatch } from '../../../shared/api/catalog';

export type ThumbnailState = { url: string } | { error: string };

/**
 * Thumbnails of catalog images as data: URLs, fetched in batches. The grid
 * asks for the images of the rows that come into view; every id asked for in
 * the same tick goes out in one `catalog/thumbnails` call (at most `batchSize`
 * ids each), so a row of 7 thumbnails costs one message instead of 7 HTTP
 * requests, which on a small machine was what made frames drop. The newest
 * `capacity` thumbnails are kept; listeners hear which ids arrived.
 */
export class ThumbnailCache {
  private readonly entries = new Map<number, ThumbnailState>();
  private readonly pending = new Set<number>();
  private readonly inFlight = new Set<number>();
  private readonly listeners = new Set<(arrived: ReadonlySet<number>) => void>();
  private flushScheduled = false;

  constructor(
    private readonly fetchBatch: (imageIds: number[]) => Promise<ThumbnailBatch>,
    private readonly options: { batchSize?: number; capacity?: number; schedule?: (run: () => void) => void } = {},
  ) {}

  get(imageId: number): ThumbnailState | undefined {
    return this.entries.get(imageId);
  }

  /** ask for thumbnails not cached or on their way; sent together at the end of the tick */
  want(imageIds: readonly number[]): void {
    for (const id of imageIds) if (!this.entries.has(id) && !this.inFlight.has(id)) this.pending.add(id);
    if (this.pending.size === 0 || this.flushScheduled) return;
    this.flushScheduled = true;
    (this.options.schedule ?? ((run) => setTimeout(run, 0)))(() => this.flush());
  }

  subscribe(listener: (arrived: ReadonlySet<number>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private flush(): void {
    this.flushScheduled = false;
    const ids = [...this.pending];
    this.pending.clear();
    const batchSize = this.options.batchSize ?? 64;
    for (let i = 0; i < ids.length; i += batchSize) void this.load(ids.slice(i, i + batchSize));
  }

  private async load(ids: number[]): Promise<void> {
    ids.forEach((id) => this.inFlight.add(id));
    const arrived = new Set<number>();
    try {
      const batch = await this.fetchBatch(ids);
      for (const item of batch.items) {
        this.store(item.imageId, 'png' in item ? { url: `data:image/png;base64,${item.png}` } : { error: item.error });
        arrived.add(item.imageId);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      for (const id of ids) {
        this.store(id, { error: message });
        arrived.add(id);
      }
    } finally {
      ids.forEach((id) => this.inFlight.delete(id));
    }
    this.listeners.forEach((listener) => listener(arrived));
  }

  private store(imageId: number, state: ThumbnailState): void {
    this.entries.delete(imageId);
    this.entries.set(imageId, state);
    const capacity = this.options.capacity ?? 4000;
    // Map keeps insertion order: the first keys are the oldest
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= capacity) break;
      this.entries.delete(oldest);
    }
  }
}
