/**
 * The one job queue of main: runs, studies and imports all wait, start, stop
 * and end through it. It knows nothing of what a job is; its manager starts
 * the job's process and records the job's state (run folder + catalog,
 * study folder, memory for imports). The queue owns the bookkeeping every
 * manager needs alike: first in, first out; how many run at once; a stop
 * that turns into a kill after a grace period; waiting for a job's end; and
 * shutdown.
 */

/** Why a running job is asked to stop. */
export type JobStopReason = 'cancel' | 'pause' | 'shutdown';

/** A started job, as its manager hands it to the queue. */
export interface StartedJob {
  /** asks the job's process to stop cooperatively; it records its own end */
  requestStop(reason: JobStopReason): void;
  /** ends its process now (the grace period is over) */
  kill(): void;
}

export interface JobQueueOptions<Payload> {
  /** how many jobs run at once (Infinity: every job starts at once) */
  slots: number;
  /**
   * Starts a job. The manager calls `ended` once the job's process has ended
   * and its end is recorded; that frees the slot. Returning null means the
   * job could not start (the manager recorded why); the queue moves on.
   */
  start(id: string, payload: Payload, ended: () => void): StartedJob | null;
  /** while true nothing new starts (e.g. a run another process trains holds the one slot) */
  isHeld?(): boolean;
}

interface RunningJob {
  job: StartedJob;
  ended: Promise<void>;
  killTimer: NodeJS.Timeout | null;
}

export class JobQueue<Payload = undefined> {
  private readonly waiting: Array<{ id: string; payload: Payload }> = [];
  private readonly running = new Map<string, RunningJob>();
  private closed = false;

  constructor(private readonly options: JobQueueOptions<Payload>) {
    if (!(options.slots >= 1)) throw new Error(`a job queue needs at least one slot (got ${options.slots})`);
  }

  /** Queues a job; it starts as soon as a slot is free. */
  enqueue(id: string, payload: Payload): void {
    if (this.closed) throw new Error(`the job queue is shut down; ${id} was not queued`);
    if (this.has(id)) throw new Error(`job ${id} is queued or running already`);
    this.waiting.push({ id, payload });
    this.pump();
  }

  /** Takes a job that has not started out of the queue; false if it was not waiting. */
  withdraw(id: string): boolean {
    const index = this.waiting.findIndex((w) => w.id === id);
    if (index < 0) return false;
    this.waiting.splice(index, 1);
    return true;
  }

  isWaiting(id: string): boolean {
    return this.waiting.some((w) => w.id === id);
  }

  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  has(id: string): boolean {
    return this.isWaiting(id) || this.isRunning(id);
  }

  /** Ids of the jobs running now, oldest first. */
  runningIds(): string[] {
    return [...this.running.keys()];
  }

  /**
   * Asks a running job to stop; if `graceMs` is given and its process has not
   * ended by then, it is killed (a worker stuck in a long native call still
   * ends). False if the job is not running.
   */
  stop(id: string, reason: JobStopReason, graceMs?: number): boolean {
    const entry = this.running.get(id);
    if (!entry) return false;
    entry.job.requestStop(reason);
    if (graceMs !== undefined && !entry.killTimer) {
      entry.killTimer = setTimeout(() => entry.job.kill(), graceMs);
      entry.killTimer.unref();
    }
    return true;
  }

  /** Resolves once a running job has ended; at once for a job that is not running. */
  ended(id: string): Promise<void> {
    return this.running.get(id)?.ended ?? Promise.resolve();
  }

  /** Starts waiting jobs while slots are free and nothing holds the queue. */
  pump(): void {
    while (!this.closed && this.running.size < this.options.slots && !(this.options.isHeld?.() ?? false)) {
      const next = this.waiting.shift();
      if (!next) return;
      this.startJob(next.id, next.payload);
    }
  }

  private startJob(id: string, payload: Payload): void {
    let markEnded!: () => void;
    const ended = new Promise<void>((resolve) => (markEnded = resolve));
    let hasEnded = false;
    const onEnded = (): void => {
      if (hasEnded) return;
      hasEnded = true;
      const entry = this.running.get(id);
      if (entry?.killTimer) clearTimeout(entry.killTimer);
      this.running.delete(id);
      markEnded();
      this.pump();
    };
    // registered before start: a job may end while it starts (a launcher that fails at once)
    const entry: RunningJob = { job: { requestStop: () => undefined, kill: () => undefined }, ended, killTimer: null };
    this.running.set(id, entry);
    let job: StartedJob | null;
    try {
      job = this.options.start(id, payload, onEnded);
    } catch (error) {
      // the slot is freed; the caller of enqueue hears why the job could not start
      onEnded();
      throw error;
    }
    if (!job) {
      onEnded();
      return;
    }
    if (!hasEnded) entry.job = job;
  }

  /**
   * Shutdown: nothing starts any more; the waiting jobs are dropped and
   * returned (their managers record what that means for them); running jobs
   * are asked to stop (`stopRunning`, killed after `graceMs`) and awaited.
   */
  async close(options: { stopRunning: boolean; graceMs: number; reason?: JobStopReason }): Promise<Array<{ id: string; payload: Payload }>> {
    this.closed = true;
    const dropped = this.waiting.splice(0);
    const running = [...this.running.keys()];
    if (options.stopRunning) for (const id of running) this.stop(id, options.reason ?? 'shutdown', options.graceMs);
    await Promise.all(running.map((id) => this.ended(id)));
    return dropped;
  }
}
