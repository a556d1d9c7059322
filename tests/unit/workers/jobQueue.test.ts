/**
 * The one job queue runs, studies and imports share: order, slots, holds,
 * stop-then-kill, failed starts and shutdown. Jobs here are plain records the
 * test ends by hand; the managers' own tests drive it with real processes.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobQueue, type JobStopReason } from '../../../main/workers/jobQueue';

interface FakeJob {
  id: string;
  payload: string;
  stops: JobStopReason[];
  killed: boolean;
  end: () => void;
}

function queueWith(slots: number, options: { held?: () => boolean; refuse?: Set<string>; throwOn?: Set<string> } = {}) {
  const started: FakeJob[] = [];
  const queue = new JobQueue<string>({
    slots,
    isHeld: options.held,
    start: (id, payload, ended) => {
      if (options.throwOn?.has(id)) throw new Error(`cannot start ${id}`);
      if (options.refuse?.has(id)) return null;
      const job: FakeJob = { id, payload, stops: [], killed: false, end: ended };
      started.push(job);
      return { requestStop: (reason) => job.stops.push(reason), kill: () => (job.killed = true) };
    },
  });
  return { queue, started, ids: () => started.map((j) => j.id) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('JobQueue', () => {
  it('starts jobs first in, first out, no more at once than it has slots', () => {
    const { queue, started, ids } = queueWith(2);
    for (const id of ['a', 'b', 'c', 'd']) queue.enqueue(id, `payload-${id}`);
    expect(ids()).toEqual(['a', 'b']);
    expect(started[0]!.payload).toBe('payload-a');
    expect(queue.isWaiting('c')).toBe(true);
    expect(queue.runningIds()).toEqual(['a', 'b']);
    started[1]!.end();
    expect(ids()).toEqual(['a', 'b', 'c']);
    expect(queue.isRunning('b')).toBe(false);
    started[0]!.end();
    expect(ids()).toEqual(['a', 'b', 'c', 'd']);
    // ending twice frees one slot only
    started[0]!.end();
    expect(queue.runningIds()).toEqual(['c', 'd']);
  });

  it('a withdrawn job never starts; a running one cannot be withdrawn', () => {
    const { queue, started, ids } = queueWith(1);
    queue.enqueue('a', '');
    queue.enqueue('b', '');
    queue.enqueue('c', '');
    expect(queue.withdraw('b')).toBe(true);
    expect(queue.withdraw('a')).toBe(false);
    expect(queue.withdraw('nope')).toBe(false);
    started[0]!.end();
    expect(ids()).toEqual(['a', 'c']);
  });

  it('refuses an id that is queued or running already', () => {
    const { queue } = queueWith(1);
    queue.enqueue('a', '');
    queue.enqueue('b', '');
    expect(() => queue.enqueue('a', '')).toThrow(/queued or running already/);
    expect(() => queue.enqueue('b', '')).toThrow(/queued or running already/);
  });

  it('nothing starts while held; pump starts what waits once the hold is gone', () => {
    let held = true;
    const { queue, ids } = queueWith(1, { held: () => held });
    queue.enqueue('a', '');
    expect(ids()).toEqual([]);
    held = false;
    queue.pump();
    expect(ids()).toEqual(['a']);
  });

  it('stop asks the job and kills it only when the grace period passes', () => {
    vi.useFakeTimers();
    const { queue, started } = queueWith(2);
    queue.enqueue('slow', '');
    queue.enqueue('quick', '');
    const [slow, quick] = started;
    expect(queue.stop('slow', 'cancel', 1000)).toBe(true);
    expect(queue.stop('quick', 'pause', 1000)).toBe(true);
    expect(slow!.stops).toEqual(['cancel']);
    expect(quick!.stops).toEqual(['pause']);
    vi.advanceTimersByTime(500);
    quick!.end();
    vi.advanceTimersByTime(600);
    expect(slow!.killed).toBe(true);
    expect(quick!.killed).toBe(false);
    expect(queue.stop('not-running', 'cancel', 10)).toBe(false);
  });

  it('a stop without a grace period never kills', () => {
    vi.useFakeTimers();
    const { queue, started } = queueWith(1);
    queue.enqueue('a', '');
    queue.stop('a', 'pause');
    vi.advanceTimersByTime(10 ** 9);
    expect(started[0]!.killed).toBe(false);
  });

  it('ended resolves when the job ends, and at once for a job that is not running', async () => {
    const { queue, started } = queueWith(1);
    queue.enqueue('a', '');
    let done = false;
    const ended = queue.ended('a').then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    started[0]!.end();
    await ended;
    expect(done).toBe(true);
    await expect(queue.ended('never-queued')).resolves.toBeUndefined();
  });

  it('a job that cannot start frees its slot: refused quietly, or thrown to the caller', () => {
    const { queue, ids } = queueWith(1, { refuse: new Set(['refused']), throwOn: new Set(['broken']) });
    queue.enqueue('refused', '');
    expect(queue.has('refused')).toBe(false);
    expect(() => queue.enqueue('broken', '')).toThrow(/cannot start broken/);
    expect(queue.has('broken')).toBe(false);
    queue.enqueue('fine', '');
    expect(ids()).toEqual(['fine']);
  });

  it('close drops what waits, stops what runs with its reason, and resolves once those ended', async () => {
    const { queue, started } = queueWith(1);
    queue.enqueue('a', 'x');
    queue.enqueue('b', 'y');
    const closing = queue.close({ stopRunning: true, reason: 'pause', graceMs: 60_000 });
    expect(started[0]!.stops).toEqual(['pause']);
    let closed = false;
    void closing.then(() => (closed = true));
    await Promise.resolve();
    expect(closed).toBe(false);
    started[0]!.end();
    await expect(closing).resolves.toEqual([{ id: 'b', payload: 'y' }]);
    // nothing starts after a shutdown, and nothing more can be queued
    expect(started.map((j) => j.id)).toEqual(['a']);
    expect(() => queue.enqueue('c', '')).toThrow(/shut down/);
  });

  it('close can leave running jobs running (runs a manager adopted keep training)', async () => {
    const { queue, started } = queueWith(1);
    queue.enqueue('a', '');
    const closing = queue.close({ stopRunning: false, graceMs: 10 });
    expect(started[0]!.stops).toEqual([]);
    started[0]!.end();
    await expect(closing).resolves.toEqual([]);
  });

  it('needs at least one slot', () => {
    expect(() => new JobQueue({ slots: 0, start: () => null })).toThrow(/at least one slot/);
  });
});
