/**
 * A run trained outside the app's own workers (the PyTorch trainer, here or
 * on a cluster) as an ordinary run of the catalog: a row in `runs` and a run
 * folder the trainer writes into. The follower reads metrics.jsonl as it
 * grows and mirrors validations and the final state into the catalog, as the
 * job manager does for its own workers; if it stops following, the app adopts
 * the run through its heartbeat like any orphaned run.
 */
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { RunEvent, RunState } from '../../shared/api/runs';
import type { RunConfig } from '../../shared/runConfig';
import { parseMetricsLog } from '../runs/metricsLog';
import { insertRun, recordValidation, updateRunState } from '../catalog/runQueries';
import { readHeartbeat, writeHeartbeat } from '../runs/heartbeat';
import { writeJsonAtomic } from '../files/atomicFile';
import { newRunId, runFolder, type RunFolder } from '../runs/runFolder';

export interface RegisteredRun {
  runId: string;
  folder: RunFolder;
}

export function registerExternalRun(db: Database.Database, dataDir: string, config: RunConfig, ownerPid: number | null): RegisteredRun {
  const runId = newRunId();
  const folder = runFolder(dataDir, runId);
  mkdirSync(folder.checkpoints, { recursive: true });
  writeJsonAtomic(folder.config, config);
  insertRun(db, { id: runId, name: config.name, state: 'running', config, createdAt: new Date().toISOString(), folder: folder.root });
  writeStatus(folder, 'running', null, null, ownerPid);
  standInHeartbeat(folder);
  return { runId, folder };
}

/**
 * Until the trainer's first own beat (bundling, Python and torch starting take seconds), the launching
 * process beats for the run, so the run manager and every reader see it live rather than interrupted.
 */
export function standInHeartbeat(folder: RunFolder): void {
  const beat = readHeartbeat(folder.heartbeat);
  if (beat && beat.pid !== process.pid) return; // the trainer beats for itself now
  writeHeartbeat(folder.heartbeat, { pid: process.pid, time: new Date().toISOString(), step: 0 });
}

export function writeStatus(folder: RunFolder, state: RunState, error: string | null, pid: number | null, ownerPid: number | null): void {
  writeJsonAtomic(folder.status, { state, error, pid, ...(ownerPid !== null ? { ownerPid } : {}) });
}

const terminal: readonly RunState[] = ['completed', 'cancelled', 'failed'];

/** Reads new whole lines of metrics.jsonl and mirrors them into the catalog. */
export class RunFollower {
  private offset = 0;
  lastState: RunState | null = null;
  lastMessage: string | null = null;

  constructor(
    private readonly db: Database.Database,
    readonly runId: string,
    readonly folder: RunFolder,
    private readonly onEvent: (event: RunEvent) => void = () => {},
  ) {}

  poll(): RunEvent[] {
    if (this.lastState === null) standInHeartbeat(this.folder);
    if (!existsSync(this.folder.metrics)) return [];
    const fd = openSync(this.folder.metrics, 'r');
    let text = '';
    try {
      const end = fstatSync(fd).size;
      if (end > this.offset) {
        const buffer = Buffer.alloc(end - this.offset);
        readSync(fd, buffer, 0, buffer.length, this.offset);
        text = buffer.toString('utf8');
      }
    } finally {
      closeSync(fd);
    }
    const cut = text.lastIndexOf('\n') + 1;
    if (cut <= 0) return [];
    this.offset += Buffer.byteLength(text.slice(0, cut));
    const events = parseMetricsLog(text.slice(0, cut)).events;
    for (const event of events) {
      if (event.type === 'validation') recordValidation(this.db, this.runId, event.step, event.epoch, event.metrics);
      if (event.type === 'state') {
        this.lastState = event.state;
        this.lastMessage = event.message ?? null;
      }
      this.onEvent(event);
    }
    return events;
  }

  /** After the trainer's processes ended: its last state, else interrupted with the reason. */
  finish(why: string): RunState {
    this.poll();
    const state: RunState = this.lastState && terminal.includes(this.lastState) ? this.lastState : 'interrupted';
    const error = state === 'failed' ? this.lastMessage : state === 'interrupted' ? `${why}; launch again with --resume to continue from the last checkpoint` : null;
    updateRunState(this.db, this.runId, state);
    writeStatus(this.folder, state, error, null, null);
    return state;
  }
}
