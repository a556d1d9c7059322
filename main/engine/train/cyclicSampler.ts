/**
 * The cyclic task sampler (ref default): every step takes one batch from every
 * task, round-robin. Each task walks its own shuffled order; a task that runs
 * out reshuffles and restarts (incomplete tail batches are dropped so every
 * batch has the task's batch size). An epoch is the number of steps in which
 * the longest task is seen once. The order of task t in its pass e is a pure
 * function of (seed, t, e), so the whole state is two integers per task.
 */
import { SeededRandom, hashSeed, permutation } from '../../../shared/seededRandom';

export interface SamplerTask {
  name: string;
  size: number;
  batchSize: number;
}

export interface SamplerTaskState {
  /** how many full passes over this task have started */
  pass: number;
  /** next position in the current pass */
  cursor: number;
}

export class CyclicTaskSampler {
  private states: SamplerTaskState[];
  private orders: number[][];

  constructor(
    readonly tasks: SamplerTask[],
    readonly seed: number,
  ) {
    for (const t of tasks) {
      if (t.size < 1) throw new Error(`task '${t.name}' has no training samples`);
      if (!Number.isInteger(t.batchSize) || t.batchSize < 1) throw new Error(`task '${t.name}': batch size must be a positive integer, got ${t.batchSize}`);
    }
    this.states = tasks.map(() => ({ pass: 0, cursor: 0 }));
    this.orders = tasks.map((_, i) => this.order(i, 0));
  }

  /** a task's effective batch size (never above its sample count) */
  batchSizeOf(taskIndex: number): number {
    const t = this.tasks[taskIndex]!;
    return Math.min(t.batchSize, t.size);
  }

  /** steps per epoch: the longest task (in batches) seen once */
  stepsPerEpoch(): number {
    return Math.max(...this.tasks.map((t, i) => Math.floor(t.size / this.batchSizeOf(i))));
  }

  private order(taskIndex: number, pass: number): number[] {
    return permutation(this.tasks[taskIndex]!.size, SeededRandom.fromState(hashSeed(this.seed, taskIndex, pass)));
  }

  /** the sample indices of the next batch of a task (advances that task) */
  nextBatch(taskIndex: number): number[] {
    const bs = this.batchSizeOf(taskIndex);
    const state = this.states[taskIndex]!;
    if (state.cursor + bs > this.tasks[taskIndex]!.size) {
      state.pass += 1;
      state.cursor = 0;
      this.orders[taskIndex] = this.order(taskIndex, state.pass);
    }
    const batch = this.orders[taskIndex]!.slice(state.cursor, state.cursor + bs);
    state.cursor += bs;
    return batch;
  }

  /** one batch of every task, in task order */
  nextStep(): number[][] {
    return this.tasks.map((_, i) => this.nextBatch(i));
  }

  getState(): SamplerTaskState[] {
    return this.states.map((s) => ({ ...s }));
  }

  setState(states: SamplerTaskState[]): void {
    if (states.length !== this.tasks.length) throw new Error(`sampler state has ${states.length} tasks, the run ${this.tasks.length}`);
    this.states = states.map((s) => ({ ...s }));
    this.orders = this.states.map((s, i) => this.order(i, s.pass));
  }
}
