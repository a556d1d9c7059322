/**
 * metrics.jsonl: one RunEvent per line, appended by whichever process owns the
 * run at the time (worker while alive, manager after it died). A process killed
 * mid-write leaves a torn last line: readers skip it and writers cut it off
 * before appending, so the log always stays line-aligned.
 */
import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, readSync, fstatSync, writeSync } from 'node:fs';
import type { RunEvent } from '../../shared/api/runs';

export interface MetricsLogContents {
  events: RunEvent[];
  /** a partial or unparsable last line was ignored */
  tornTail: boolean;
}

export function parseMetricsLog(text: string): MetricsLogContents {
  const lines = text.split('\n');
  // split leaves '' after a final newline, or the torn tail when there is none
  const complete = lines.slice(0, -1);
  const tail = lines[lines.length - 1] ?? '';
  const events: RunEvent[] = [];
  let tornTail = tail.length > 0;
  for (const line of complete) {
    if (!line.trim()) continue;
    try {
      events.push(JSON.parse(line) as RunEvent);
    } catch {
      // Only a torn write can corrupt a line, and only the last one is ever torn.
      tornTail = true;
    }
  }
  return { events, tornTail };
}

export function readMetricsLog(file: string): MetricsLogContents {
  if (!existsSync(file)) return { events: [], tornTail: false };
  return parseMetricsLog(readFileSync(file, 'utf8'));
}

/** Cuts a torn last line off; returns the number of complete lines left. */
export function repairMetricsLog(file: string): number {
  if (!existsSync(file)) return 0;
  const fd = openSync(file, 'r+');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return 0;
    const buffer = Buffer.alloc(size);
    readSync(fd, buffer, 0, size, 0);
    const lastNewline = buffer.lastIndexOf(0x0a);
    const keep = lastNewline + 1;
    if (keep < size) {
      ftruncateSync(fd, keep);
      fsyncSync(fd);
    }
    let lines = 0;
    for (let i = 0; i < keep; i++) if (buffer[i] === 0x0a) lines++;
    return lines;
  } finally {
    closeSync(fd);
  }
}

/** Appends events to one run's log; seq numbers continue from the lines already there. */
export class MetricsLogWriter {
  private fd: number;
  private nextSeq: number;

  constructor(
    readonly file: string,
    readonly runId: string,
  ) {
    this.nextSeq = repairMetricsLog(file);
    this.fd = openSync(file, 'a');
  }

  get seq(): number {
    return this.nextSeq;
  }

  append<B extends object>(body: B): RunEvent {
    const event = { runId: this.runId, time: new Date().toISOString(), seq: this.nextSeq, ...body } as unknown as RunEvent;
    writeSync(this.fd, `${JSON.stringify(event)}\n`);
    this.nextSeq += 1;
    return event;
  }

  /** At epoch ends and state changes: the lines so far survive a power loss too. */
  sync(): void {
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd < 0) return;
    try {
      fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
      this.fd = -1;
    }
  }
}
