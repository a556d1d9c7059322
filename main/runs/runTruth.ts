/**
 * What a run really is, read from its folder alone: the worker's heartbeat says whether it trains now, and
 * metrics.jsonl (which the worker appends whoever watches) holds its latest step and its completion record.
 * Every reader (the app, `umedpt serve`, `umedpt runs`) shows this, so a run whose parent died is shown
 * at its true step while it trains and with its true ending once it stops — without a changing call.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { heartbeatIsLive, readHeartbeat } from './heartbeat';
import type { RunFolder } from './runFolder';
import type { RunEvent, RunState } from '../../shared/api/runs';

/** How much of the log's end is read: many step lines, and the completion record is always the last. */
const tailBytes = 256 * 1024;

/** Whole events of the last tailBytes of metrics.jsonl, oldest first (a torn last line is skipped). */
export function tailEvents(file: string, bytes = tailBytes): RunEvent[] {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(0, size - bytes);
    const buffer = Buffer.alloc(size - start);
    readSync(fd, buffer, 0, buffer.length, start);
    const lines = buffer.toString('utf8').split('\n');
    // the first line may be cut by the window, the last may be torn: parse what parses
    const events: RunEvent[] = [];
    for (const line of lines.slice(start > 0 ? 1 : 0)) {
      if (!line.trim()) continue;
      try {
        events.push(JSON.parse(line) as RunEvent);
      } catch {
        // torn
      }
    }
    return events;
  } finally {
    closeSync(fd);
  }
}

/** Highest step a log's step events reach (0 for none). */
export function lastLoggedStep(events: RunEvent[]): number {
  let step = 0;
  for (const event of events) if (event.type === 'step') step = Math.max(step, event.step);
  return step;
}

export interface ObservedRun {
  /** the state to show: the recorded one while its process lives, else the worker's last word */
  state: RunState;
  /** latest step the log records (0 when none) */
  step: number;
  /** the failure message of a run that ended failed */
  error: string | null;
}

const live: readonly RunState[] = ['running', 'orphaned'];

/** Pure: the truth from the recorded state, whether the heartbeat is live, and the log's last events. */
export function observeRun(recorded: RunState, heartbeatLive: boolean, events: RunEvent[]): ObservedRun {
  let step = 0;
  let lastState: Extract<RunEvent, { type: 'state' }> | null = null;
  for (const event of events) {
    if (event.type === 'step' || event.type === 'validation' || event.type === 'checkpoint' || event.type === 'epoch') step = Math.max(step, event.step);
    if (event.type === 'state') lastState = event;
  }
  if (!live.includes(recorded) || heartbeatLive) return { state: recorded, step, error: null };
  const ended = lastState && !['running', 'queued', 'orphaned'].includes(lastState.state) ? lastState : null;
  if (ended) return { state: ended.state, step, error: ended.state === 'failed' ? (ended.message ?? null) : null };
  return { state: 'interrupted', step, error: null };
}

export function observeRunFolder(recorded: RunState, folder: RunFolder): ObservedRun {
  return observeRun(recorded, heartbeatIsLive(readHeartbeat(folder.heartbeat)), live.includes(recorded) ? tailEvents(folder.metrics) : []);
}
