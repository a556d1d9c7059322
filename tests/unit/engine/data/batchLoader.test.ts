import { describe, expect, it } from 'vitest';
import { BatchLoader, epochOrder, sequentialBatches } from '../../../../main/engine/data/batchLoader';
import { type Batch, stackBatch } from '../../../../main/engine/data/batch';
import { DEFAULT_AUGMENTATION, NO_AUGMENTATION, flipHorizontal } from '../../../../main/engine/data/augment';
import { DEFAULT_SYNTHETIC_TASKS, generateSyntheticTask } from '../../../../main/engine/data/synthetic';
import { type TaskData, type TaskSample } from '../../../../main/engine/data/taskSample';

const small = { counts: { train: 10, val: 0, test: 0 }, seed: 2 };
const cls = generateSyntheticTask(DEFAULT_SYNTHETIC_TASKS[0]!, small);
const seg = generateSyntheticTask(DEFAULT_SYNTHETIC_TASKS[1]!, small);
const det = generateSyntheticTask(DEFAULT_SYNTHETIC_TASKS[2]!, small);

async function take(loader: BatchLoader, n: number): Promise<Batch[]> {
  const out: Batch[] = [];
  for (let i = 0; i < n; i++) out.push(await loader.next());
  return out;
}
const idx = (b: Batch): number[] => Array.from(b.indices);
const bytes = (a: ArrayBufferView | undefined): Buffer | undefined => (a ? Buffer.from(a.buffer, a.byteOffset, a.byteLength) : undefined);
/** Byte-wise comparison: deep equality over large typed arrays is slow. */
function expectSameBatches(a: Batch[], b: Batch[]): void {
  expect(a.length).toBe(b.length);
  a.forEach((x, i) => {
    const y = b[i]!;
    expect({ ...x, images: 0, masks: 0 }).toEqual({ ...y, images: 0, masks: 0 });
    expect(bytes(x.images)!.equals(bytes(y.images)!)).toBe(true);
    expect(x.masks === undefined ? y.masks === undefined : bytes(x.masks)!.equals(bytes(y.masks)!)).toBe(true);
  });
}

describe('BatchLoader order and epochs', () => {
  it('serves in order without shuffling, restarts after the last batch, marks epoch ends', async () => {
    const loader = new BatchLoader(cls, cls.train, { batchSize: 4, shuffle: false });
    const batches = await take(loader, 4);
    expect(batches.map(idx)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9], [0, 1, 2, 3]]);
    expect(batches.map((b) => b.epoch)).toEqual([0, 0, 0, 1]);
    expect(batches.map((b) => b.lastOfEpoch)).toEqual([false, false, true, false]);
    expect(loader.batchesPerEpoch).toBe(3);
  });

  it('dropLast skips the incomplete batch', async () => {
    const loader = new BatchLoader(cls, cls.train, { batchSize: 4, shuffle: false, dropLast: true });
    const batches = await take(loader, 3);
    expect(batches.map(idx)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [0, 1, 2, 3]]);
    expect(batches[1]!.lastOfEpoch).toBe(true);
    expect(loader.batchesPerEpoch).toBe(2);
    // a split smaller than the batch still yields a batch
    expect(idx(await new BatchLoader(cls, cls.train.slice(0, 3), { batchSize: 8, shuffle: false, dropLast: true }).next())).toEqual([0, 1, 2]);
  });

  it('shuffles each epoch into a different permutation, reproducibly', async () => {
    const a = await take(new BatchLoader(cls, cls.train, { batchSize: 5, seed: 9 }), 4);
    const b = await take(new BatchLoader(cls, cls.train, { batchSize: 5, seed: 9 }), 4);
    expect(a.map(idx)).toEqual(b.map(idx));
    const epoch0 = [...idx(a[0]!), ...idx(a[1]!)];
    const epoch1 = [...idx(a[2]!), ...idx(a[3]!)];
    expect([...epoch0].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...epoch1].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(epoch0).not.toEqual(epoch1);
    expect(Array.from(epochOrder(10, 9, 0, true))).toEqual(epoch0);
  });
});

describe('BatchLoader content', () => {
  it('stacks NHWC images with int32 labels, masks and per-image boxes', async () => {
    const c = await new BatchLoader(cls, cls.train, { batchSize: 3, shuffle: false }).next();
    expect(c.images).toHaveLength(3 * 64 * 64 * 3);
    expect(c.images.subarray(64 * 64 * 3, 2 * 64 * 64 * 3)).toEqual(cls.train[1]!.image);
    expect(Array.from(c.labels!)).toEqual([0, 1, 2].map((i) => cls.train[i]!.label));
    const s = await new BatchLoader(seg, seg.train, { batchSize: 2, shuffle: false }).next();
    expect(s.masks).toBeInstanceOf(Int32Array);
    expect(Array.from(s.masks!.subarray(64 * 64))).toEqual(Array.from(seg.train[1]!.mask!));
    const d = await new BatchLoader(det, det.train, { batchSize: 2, shuffle: false }).next();
    expect(d.boxes).toEqual([det.train[0]!.boxes, det.train[1]!.boxes]);
  });

  it('applies augmentation to image and mask together, seeded per (epoch, position)', async () => {
    const flipOnly = { ...NO_AUGMENTATION, horizontalFlip: true };
    const loader = new BatchLoader(seg, seg.train, { batchSize: 10, shuffle: false, augmentation: flipOnly, seed: 4 });
    const [b] = await take(loader, 1);
    const pixels = 64 * 64;
    let flipped = 0;
    seg.train.forEach((s, i) => {
      const image = b!.images.subarray(i * pixels * 3, (i + 1) * pixels * 3);
      const mask = Array.from(b!.masks!.subarray(i * pixels, (i + 1) * pixels));
      const f = flipHorizontal(s);
      const isOriginal = image.every((v, k) => v === s.image[k]) && mask.every((v, k) => v === s.mask![k]);
      const isFlipped = image.every((v, k) => v === f.image[k]) && mask.every((v, k) => v === f.mask![k]);
      expect(isOriginal || isFlipped).toBe(true);
      if (isFlipped && !isOriginal) flipped++;
    });
    expect(flipped).toBeGreaterThan(0);
    expect(flipped).toBeLessThan(10);
  });

  it('makes multi-hot targets for multi-label tasks and names the sample on bad input', () => {
    const task = { name: 'ml', kind: 'classification' as const, classNames: ['a', 'b', 'c'], multiLabel: true };
    const img = new Float32Array(32 * 32 * 3);
    const b = stackBatch(task, [{ size: 32, image: img, label: [1, 0, 1] }, { size: 32, image: img, label: [0, 1, 0] }], [5, 6]);
    expect(Array.from(b.multiHot!)).toEqual([1, 0, 1, 0, 1, 0]);
    expect(() => stackBatch({ ...task, multiLabel: false }, [{ size: 32, image: img }], [7])).toThrow(/task ml, sample 7: missing class label/);
    expect(() => stackBatch({ name: 's', kind: 'segmentation', classNames: ['bg', 'x'] }, [{ size: 32, image: img }], [3])).toThrow(/sample 3: missing or wrong-size mask/);
  });
});

describe('BatchLoader resume and prefetch', () => {
  it('prefetch depth does not change the stream', async () => {
    const opts = { batchSize: 3, seed: 5, augmentation: DEFAULT_AUGMENTATION };
    const a = await take(new BatchLoader(det, det.train, { ...opts, prefetch: 0 }), 6);
    const b = await take(new BatchLoader(det, det.train, { ...opts, prefetch: 4 }), 6);
    expectSameBatches(b, a);
  });

  it('resumes exactly from a saved state (augmentation included)', async () => {
    const opts = { batchSize: 4, seed: 8, augmentation: DEFAULT_AUGMENTATION, prefetch: 3 };
    const first = new BatchLoader(seg, seg.train, opts);
    await take(first, 4); // into epoch 1
    const state = JSON.parse(JSON.stringify(first.getState()));
    expect(state).toEqual({ epoch: 1, position: 4 });
    const expected = await take(first, 3);
    const resumed = new BatchLoader(seg, seg.train, { ...opts, state });
    expectSameBatches(await take(resumed, 3), expected);
    expect(() => new BatchLoader(seg, seg.train, { ...opts, state: { epoch: 0, position: 99 } })).toThrow(/does not fit 10 samples/);
  });

  it('prepares the next batch while the consumer awaits other work, and reports timing', async () => {
    const big: TaskData = generateSyntheticTask(DEFAULT_SYNTHETIC_TASKS[1]!, { counts: { train: 64, val: 0, test: 0 } });
    const loader = new BatchLoader(big, big.train, { batchSize: 32, augmentation: DEFAULT_AUGMENTATION, prefetch: 1 });
    await loader.next();
    const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
    await sleep(200); // the "training step": an async backend would yield like this
    await loader.next();
    const t = loader.getTiming();
    expect(t.batchesServed).toBe(2);
    expect(t.prepareMs).toBeGreaterThan(0);
    // the second batch was ready: waiting took far less than building a batch
    expect(t.lastWaitMs).toBeLessThan(t.prepareMs / 3);
  });

  it('sequential batches cover a split once, in order, unaugmented', () => {
    const batches = [...sequentialBatches(cls, cls.train, 4)];
    expect(batches.map(idx)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect(batches[2]!.images.subarray(0, 64 * 64 * 3)).toEqual((cls.train[8] as TaskSample).image);
  });
});
