/**
 * The bookkeeping around a run's training loop that is not training: the
 * worker's heartbeat, progress.json as a new run starts it, the rolling step
 * time behind images/s and the ETA, and each epoch's mean training loss.
 */
import { writeHeartbeat, heartbeatIntervalMs } from './heartbeat';
import { readJsonFile, type RunFolder, type RunProgressFile } from './runFolder';

/** Beats at most every interval from the loop, and on a timer while a long step or the data loading blocks. */
export function startHeartbeat(folder: RunFolder): { beat(step: number): void; stop(): void } {
  let lastBeat = 0;
  const beat = (step: number, force = false): void => {
    if (!force && Date.now() - lastBeat < heartbeatIntervalMs) return;
    lastBeat = Date.now();
    writeHeartbeat(folder.heartbeat, { pid: process.pid, time: new Date().toISOString(), step });
  };
  const timer = setInterval(() => beat(-1, true), heartbeatIntervalMs);
  beat(0, true);
  return { beat: (step) => beat(step), stop: () => clearInterval(timer) };
}

/** progress.json as the last process left it, or empty for a new run. */
export function readProgressFile(folder: RunFolder): RunProgressFile {
  return (
    readJsonFile<RunProgressFile>(folder.progress) ?? {
      step: 0,
      totalSteps: 0,
      epoch: 0,
      totalEpochs: 0,
      backend: null,
      tasks: [],
      checkpoints: { latest: null, best: null },
      lastMetrics: null,
      bestScore: null,
    }
  );
}

/** Seconds per step over the last 20 steps. */
export class StepTimes {
  private readonly recent: number[] = [];
  private last = performance.now();

  /** records a finished step; returns the mean seconds per step */
  stepDone(): number {
    const now = performance.now();
    this.recent.push((now - this.last) / 1000);
    this.last = now;
    if (this.recent.length > 20) this.recent.shift();
    return this.recent.reduce((a, b) => a + b, 0) / this.recent.length;
  }
}

/** Each task's mean training loss over the current epoch. */
export class EpochLosses {
  private readonly sums = new Map<string, { sum: number; n: number }>();
  private startedAt = Date.now();

  add(taskLosses: Record<string, number>): void {
    for (const [task, loss] of Object.entries(taskLosses)) {
      const acc = this.sums.get(task) ?? { sum: 0, n: 0 };
      acc.sum += loss;
      acc.n += 1;
      this.sums.set(task, acc);
    }
  }

  /** the epoch's means and length, and a fresh start for the next epoch */
  end(): { trainLoss: Record<string, number>; seconds: number } {
    const trainLoss = Object.fromEntries([...this.sums].map(([task, acc]) => [task, acc.sum / acc.n]));
    const seconds = (Date.now() - this.startedAt) / 1000;
    this.sums.clear();
    this.startedAt = Date.now();
    return { trainLoss, seconds };
  }
}
