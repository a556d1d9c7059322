/**
 * Endless, seeded, prefetching batch stream over one split of one task.
 *
 * - Order: epoch e visits the samples in a permutation seeded by (seed, e);
 *   when the split runs out the next epoch starts (the cyclic task sampler's
 *   "a task whose data runs out restarts").
 * - Augmentation: sample at (epoch, position) uses its own seeded stream, so
 *   a batch is the same whatever was prefetched or skipped before it.
 * - Resume: the whole state is { epoch, position } of the next sample to
 *   serve; a loader built with that state continues exactly.
 * - Prefetch: up to `prefetch` batches are prepared ahead, one per event-loop
 *   turn (setImmediate), so they are built while the consumer awaits
 *   something else (async backends, data() reads). With a fully synchronous
 *   training step nothing overlaps; the timing then shows the loading share
 *   honestly rather than hiding it.
 */
import { type TaskSample } from './taskSample';
import { SeededRandom, deriveSeed } from '../../../shared/seededRandom';
import { type AugmentationSettings, augmentSample } from './augment';
import { type Batch, type BatchTask, stackBatch } from './batch';

export interface BatchLoaderOptions {
  batchSize: number;
  /** shuffle every epoch (default true) */
  shuffle?: boolean;
  seed?: number;
  /** null or absent: no augmentation */
  augmentation?: AugmentationSettings | null;
  /** drop an epoch's last incomplete batch (default false); a split smaller than batchSize still gives one batch */
  dropLast?: boolean;
  /** batches prepared ahead (default 2, 0 = prepare on demand) */
  prefetch?: number;
  /** where to start (from getState() of an earlier loader) */
  state?: BatchLoaderState;
}

export interface BatchLoaderState {
  epoch: number;
  /** position in the epoch's order of the next sample to serve */
  position: number;
}

export interface BatchLoaderTiming {
  batchesServed: number;
  /** total milliseconds spent building batches (shuffle, augment, stack) */
  prepareMs: number;
  /** total milliseconds the consumer spent waiting inside next() */
  waitMs: number;
  /** wait of the latest next() call */
  lastWaitMs: number;
}

/** Pure: the sample order of one epoch. */
export function epochOrder(count: number, seed: number, epoch: number, shuffle: boolean): Int32Array {
  const order = Array.from({ length: count }, (_, i) => i);
  if (shuffle) new SeededRandom(deriveSeed(seed, 'order', epoch)).shuffle(order);
  return Int32Array.from(order);
}

export class BatchLoader {
  readonly batchSize: number;
  readonly batchesPerEpoch: number;
  private readonly shuffle: boolean;
  private readonly seed: number;
  private readonly augmentation: AugmentationSettings | null;
  private readonly prefetch: number;
  private readonly dropLast: boolean;
  /** consumer position (what the next served batch starts at) */
  private served: BatchLoaderState;
  /** producer position (where the next prepared batch starts) */
  private cursor: BatchLoaderState;
  private readonly queue: Array<Promise<{ batch: Batch; after: BatchLoaderState }>> = [];
  private orderCache: { epoch: number; order: Int32Array } | null = null;
  private readonly timing: BatchLoaderTiming = { batchesServed: 0, prepareMs: 0, waitMs: 0, lastWaitMs: 0 };

  constructor(
    private readonly task: BatchTask,
    private readonly samples: readonly TaskSample[],
    options: BatchLoaderOptions,
  ) {
    if (samples.length === 0) throw new Error(`task ${task.name}: no samples to load`);
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) throw new Error(`task ${task.name}: batch size must be a positive integer`);
    this.batchSize = Math.min(options.batchSize, samples.length);
    this.shuffle = options.shuffle ?? true;
    this.seed = options.seed ?? 0;
    this.augmentation = options.augmentation ?? null;
    this.prefetch = Math.max(0, options.prefetch ?? 2);
    this.dropLast = options.dropLast ?? false;
    this.batchesPerEpoch = this.dropLast ? Math.floor(samples.length / this.batchSize) : Math.ceil(samples.length / this.batchSize);
    const start = options.state ?? { epoch: 0, position: 0 };
    if (!(start.position >= 0 && start.position < samples.length && start.epoch >= 0)) {
      throw new Error(`task ${task.name}: loader state ${JSON.stringify(start)} does not fit ${samples.length} samples`);
    }
    this.served = { ...start };
    this.cursor = { ...start };
  }

  /** The next batch (endless: epochs follow each other). */
  async next(): Promise<Batch> {
    if (this.queue.length === 0) this.enqueue();
    const t0 = performance.now();
    const { batch, after } = await (this.queue.shift() as Promise<{ batch: Batch; after: BatchLoaderState }>);
    const waited = performance.now() - t0;
    this.timing.waitMs += waited;
    this.timing.lastWaitMs = waited;
    this.timing.batchesServed++;
    this.served = after;
    while (this.queue.length < this.prefetch) this.enqueue();
    return batch;
  }

  /** Position of the next batch to serve; prefetched batches do not count. */
  getState(): BatchLoaderState {
    return { ...this.served };
  }

  getTiming(): BatchLoaderTiming {
    return { ...this.timing };
  }

  private enqueue(): void {
    const { epoch, position, indices, after, lastOfEpoch } = this.plan(this.cursor);
    this.cursor = after;
    const pending = new Promise<{ batch: Batch; after: BatchLoaderState }>((resolve, reject) => {
      setImmediate(() => {
        try {
          const t0 = performance.now();
          const batch = this.build(epoch, position, indices, lastOfEpoch);
          this.timing.prepareMs += performance.now() - t0;
          resolve({ batch, after });
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    });
    // A prefetched batch that is never asked for must not become an unhandled rejection; next() still sees the error.
    pending.catch(() => undefined);
    this.queue.push(pending);
  }

  private order(epoch: number): Int32Array {
    if (this.orderCache?.epoch !== epoch) this.orderCache = { epoch, order: epochOrder(this.samples.length, this.seed, epoch, this.shuffle) };
    return this.orderCache.order;
  }

  /** Which samples the batch starting at `start` holds, and where the following batch starts. */
  private plan(start: BatchLoaderState): BatchLoaderState & { indices: Int32Array; after: BatchLoaderState; lastOfEpoch: boolean } {
    const n = this.samples.length;
    let { epoch, position } = start;
    if (this.dropLast && position + this.batchSize > n) {
      epoch++;
      position = 0;
    }
    const end = Math.min(n, position + this.batchSize);
    const indices = this.order(epoch).slice(position, end);
    const lastOfEpoch = end === n || (this.dropLast && end + this.batchSize > n);
    return { epoch, position, indices, after: lastOfEpoch ? { epoch: epoch + 1, position: 0 } : { epoch, position: end }, lastOfEpoch };
  }

  private build(epoch: number, position: number, indices: Int32Array, lastOfEpoch: boolean): Batch {
    const samples = Array.from(indices, (index, k) => {
      const sample = this.samples[index] as TaskSample;
      if (!this.augmentation) return sample;
      return augmentSample(sample, this.augmentation, new SeededRandom(deriveSeed(this.seed, 'augment', epoch, position + k)));
    });
    return stackBatch(this.task, samples, indices, epoch, lastOfEpoch);
  }
}

/** In-order batches over a whole split, without augmentation: for validation and testing. */
export function* sequentialBatches(task: BatchTask, samples: readonly TaskSample[], batchSize: number): Generator<Batch> {
  for (let start = 0; start < samples.length; start += batchSize) {
    const end = Math.min(samples.length, start + batchSize);
    const indices = Int32Array.from({ length: end - start }, (_, k) => start + k);
    yield stackBatch(task, samples.slice(start, end), indices, 0, end === samples.length);
  }
}
