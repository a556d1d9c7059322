/**
 * The run manager: runs are queued and trained one at a time, each in its own
 * process; their events are appended to the run folder (by the worker) and
 * forwarded to the app's transports. After a restart of the app it finds runs
 * that were running: a dead process makes the run `interrupted`, a live one is
 * adopted (`orphaned`): followed through its folder until it ends.
 */
import { closeSync, existsSync, mkdirSync, openSync, readSync, fstatSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { RunDetail, RunEvent, RunEventType, RunMetricsPage, RunState, RunSummary } from '../../shared/api/runs';
import type { RunConfig } from '../../shared/runConfig';
import { heartbeatIsLive, isProcessAlive, readHeartbeat } from './heartbeat';
import { observeRunFolder } from './runTruth';
import { MetricsLogWriter, parseMetricsLog, readMetricsLog } from './metricsLog';
import { defaultProcessLauncher, type ProcessLauncher, type WorkerProcess } from '../workers/processLauncher';
import type { JobControl } from '../workers/jobControl';
import { JobQueue, type StartedJob } from '../workers/jobQueue';
import { getRunRow, insertRun, listRunRows, recordValidation, updateRunState, type RunRow } from '../catalog/runQueries';
import { newRunId, readJsonFile, runFolder, type RunFolder, type RunProgressFile } from './runFolder';
import { writeJsonAtomic } from '../files/atomicFile';
import { encodeWorkerArgs, type WorkerCommand, type WorkerMessage } from './workerProtocol';
import { vulkanLaunchEnvironment } from '../engine/backend/vulkan';

type TrainingProcess = WorkerProcess<WorkerCommand, WorkerMessage>;

/** Written by the manager: what the catalog row cannot hold. */
export interface RunStatusFile {
  state: RunState;
  error: string | null;
  pid: number | null;
  /** the manager process (app or CLI) that owns the run while it is queued or running */
  ownerPid?: number;
}

export interface RunManagerOptions {
  dataDir: string;
  /** the catalog connection (tables runs, run_metrics) */
  db: Database.Database;
  launcher?: ProcessLauncher;
  onEvent?: (event: RunEvent) => void;
  onUpdate?: (summary: RunSummary) => void;
  /** how often adopted runs are polled (ms) */
  pollMs?: number;
  /** extra environment for workers (e.g. UMEDPT_BACKEND in tests) */
  workerEnv?: NodeJS.ProcessEnv;
  /**
   * false: recover and start queued runs only on the first launch / resume /
   * pause / cancel, so a read-only CLI command (umedpt runs) changes nothing.
   */
  activate?: boolean;
}

/** What the manager knows of the run it trains (the queue holds its slot). */
interface ActiveJob {
  runId: string;
  process: TrainingProcess;
  stopRequested: 'pause' | 'cancel' | null;
  /** the last state the worker reported */
  reported: RunState | null;
  error: string | null;
}

interface AdoptedJob {
  runId: string;
  pid: number;
  timer: NodeJS.Timeout;
  /** bytes of metrics.jsonl already forwarded */
  offset: number;
  cancelRequested: boolean;
}

const terminalOrIdle: readonly RunState[] = ['completed', 'cancelled', 'failed', 'interrupted', 'paused'];
/** grace period for a worker asked to stop before it is killed */
const stopGraceMs = 60000;

export class RunNotFoundError extends Error {}
export class RunConflictError extends Error {}

export class RunManager implements JobControl<RunSummary> {
  private readonly launcher: ProcessLauncher;
  /** one run trains at a time; the rest wait here */
  private readonly queue: JobQueue<{ resume: boolean }>;
  private active: ActiveJob | null = null;
  private readonly adopted = new Map<string, AdoptedJob>();
  /** runs another live manager trains */
  private readonly foreign = new Set<string>();
  private readonly waiters = new Set<() => void>();
  private disposed = false;
  private active_ = false;
  private recovered = false;

  constructor(private readonly options: RunManagerOptions) {
    this.launcher = options.launcher ?? defaultProcessLauncher();
    this.queue = new JobQueue({
      slots: 1,
      start: (runId, { resume }, ended) => this.start(runId, resume, ended),
      // a run adopted from a dead app, or trained by another live app or CLI, holds the one slot
      // (and nothing starts while recovery is still finding which runs are alive)
      isHeld: () => this.disposed || !this.recovered || this.adopted.size > 0 || this.foreign.size > 0,
    });
    mkdirSync(path.join(options.dataDir, 'runs'), { recursive: true });
    if (options.activate ?? true) this.activate();
  }

  /** Restart recovery (adopt or mark interrupted), then start the queue. Idempotent. */
  activate(): void {
    if (this.active_) return;
    this.active_ = true;
    this.recoverAfterRestart();
    this.recovered = true;
    this.queue.pump();
  }

  // ---------- public API ----------

  launch(config: RunConfig): RunSummary {
    this.activate();
    const id = newRunId();
    const folder = runFolder(this.options.dataDir, id);
    mkdirSync(folder.checkpoints, { recursive: true });
    writeJsonAtomic(folder.config, config);
    const createdAt = new Date().toISOString();
    insertRun(this.options.db, { id, name: config.name, state: 'queued', config, createdAt, folder: folder.root });
    this.setState(id, 'queued', null, null);
    this.queue.enqueue(id, { resume: false });
    return this.summary(id);
  }

  list(): RunSummary[] {
    return listRunRows(this.options.db).map((row) => this.summaryOf(row));
  }

  get(runId: string): RunDetail {
    const row = this.row(runId);
    const folder = runFolder(this.options.dataDir, runId);
    const progress = readJsonFile<RunProgressFile>(folder.progress);
    const status = readJsonFile<RunStatusFile>(folder.status);
    return {
      ...this.summaryOf(row),
      config: row.config,
      checkpoints: progress?.checkpoints ?? { latest: null, best: null },
      pid: this.active?.runId === runId ? this.active.process.pid : (this.adopted.get(runId)?.pid ?? status?.pid ?? null),
    };
  }

  summary(runId: string): RunSummary {
    return this.summaryOf(this.row(runId));
  }

  /** Pausing checkpoints the run and ends its process; resume continues from there. */
  pause(runId: string): RunSummary {
    this.activate();
    const row = this.row(runId);
    if (this.active?.runId === runId) {
      this.queue.stop(runId, 'pause');
      return this.summary(runId);
    }
    if (this.queue.withdraw(runId)) {
      this.setState(runId, 'paused', null, null, true);
      return this.summary(runId);
    }
    throw new RunConflictError(`run ${runId} is ${row.state}: only queued or running runs can be paused`);
  }

  /** Continues a paused, interrupted, cancelled or failed run from its latest checkpoint. */
  resume(runId: string): RunSummary {
    this.activate();
    const row = this.row(runId);
    if (!['paused', 'interrupted', 'cancelled', 'failed'].includes(row.state)) {
      throw new RunConflictError(`run ${runId} is ${row.state}: only paused, interrupted, cancelled or failed runs can be resumed`);
    }
    this.setState(runId, 'queued', null, null, true);
    this.queue.enqueue(runId, { resume: true });
    return this.summary(runId);
  }

  cancel(runId: string): RunSummary {
    this.activate();
    const row = this.row(runId);
    if (this.active?.runId === runId) {
      this.queue.stop(runId, 'cancel', stopGraceMs);
      return this.summary(runId);
    }
    const adopted = this.adopted.get(runId);
    if (adopted) {
      adopted.cancelRequested = true;
      // the worker turns SIGTERM into a clean cancel with a checkpoint
      process.kill(adopted.pid, 'SIGTERM');
      return this.summary(runId);
    }
    if (['queued', 'paused', 'interrupted', 'failed'].includes(row.state)) {
      this.queue.withdraw(runId);
      this.setState(runId, 'cancelled', null, null, true);
      return this.summary(runId);
    }
    throw new RunConflictError(`run ${runId} is already ${row.state}`);
  }

  metrics(runId: string, options: { after?: number; types?: RunEventType[]; limit?: number } = {}): RunMetricsPage {
    this.row(runId);
    const { events } = readMetricsLog(runFolder(this.options.dataDir, runId).metrics);
    const after = options.after ?? -1;
    const types = options.types ? new Set(options.types) : null;
    const limit = options.limit ?? 10000;
    const out: RunEvent[] = [];
    let nextSeq = after;
    for (const event of events) {
      if (event.seq <= after) continue;
      if (out.length >= limit) break;
      nextSeq = event.seq;
      if (!types || types.has(event.type)) out.push(event);
    }
    return { events: out, nextSeq };
  }

  /** Resolves once the run is in one of `states` (default: finished, or paused / interrupted until resumed). */
  waitFor(runId: string, states: readonly RunState[] = terminalOrIdle, timeoutMs = 600000): Promise<RunSummary> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const summary = this.summary(runId);
        if (!states.includes(summary.state)) return false;
        this.waiters.delete(waiter);
        clearTimeout(timer);
        resolve(summary);
        return true;
      };
      const waiter = (): void => {
        check();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`run ${runId} did not reach ${states.join('/')} within ${timeoutMs} ms (it is ${this.summary(runId).state})`));
      }, timeoutMs);
      this.waiters.add(waiter);
      check();
    });
  }

  /** pid of the process training `runId` (active or adopted), if any */
  processId(runId: string): number | null {
    if (this.active?.runId === runId) return this.active.process.pid;
    return this.adopted.get(runId)?.pid ?? null;
  }

  /**
   * On shutdown: a running worker is asked to pause (checkpoint + exit) and
   * awaited; adopted workers are left alone (the next start adopts them again).
   */
  async dispose(options: { pauseActive?: boolean; timeoutMs?: number } = {}): Promise<void> {
    if (this.disposed) return;
    // queued runs stay queued in the catalog: the next start queues them again
    await this.queue.close({ stopRunning: options.pauseActive ?? true, reason: 'pause', graceMs: options.timeoutMs ?? 120000 });
    this.disposed = true;
    for (const job of this.adopted.values()) clearInterval(job.timer);
    this.adopted.clear();
  }

  // ---------- internals ----------

  private row(runId: string): RunRow {
    const row = getRunRow(this.options.db, runId);
    if (!row) throw new RunNotFoundError(`no run with id ${runId}`);
    return row;
  }

  private summaryOf(row: RunRow): RunSummary {
    const folder = runFolder(this.options.dataDir, row.id);
    const progress = readJsonFile<RunProgressFile>(folder.progress);
    const status = readJsonFile<RunStatusFile>(folder.status);
    // The folder's truth (heartbeat, last step, completion record), also where no manager adopted the run yet.
    const observed = observeRunFolder(row.state, folder);
    return {
      id: row.id,
      name: row.name,
      state: this.adopted.has(row.id) || this.active?.runId === row.id ? row.state : observed.state,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      folder: row.folder || folder.root,
      tasks:
        progress?.tasks ??
        row.config.tasks.map((t) => ({ name: t.name, kind: t.kind, classNames: [], trainImages: null, valImages: null })),
      progress: {
        step: Math.max(progress?.step ?? 0, observed.step),
        totalSteps: progress?.totalSteps ?? row.config.steps ?? 0,
        epoch: progress?.epoch ?? 0,
        totalEpochs: progress?.totalEpochs ?? row.config.epochs ?? 0,
      },
      backend: progress?.backend ?? null,
      backendChoice: progress?.backendChoice ?? null,
      finalMetrics: row.finalMetrics,
      error: status?.error ?? observed.error,
    };
  }

  /** State in catalog + status.json (+ a state line in metrics.jsonl when no worker writes it). */
  private setState(runId: string, state: RunState, error: string | null, pid: number | null, logIt = false, message?: string): void {
    updateRunState(this.options.db, runId, state);
    const folder = runFolder(this.options.dataDir, runId);
    writeJsonAtomic(folder.status, { state, error, pid, ownerPid: process.pid } satisfies RunStatusFile);
    if (logIt || state === 'queued') this.appendManagerEvent(folder, runId, { type: 'state', state, ...(message ?? error ? { message: message ?? error ?? '' } : {}) });
    this.notify(runId);
  }

  /** Only while no worker owns the log (queued, or after its process ended). */
  private appendManagerEvent(folder: RunFolder, runId: string, body: { type: 'state'; state: RunState; message?: string }): void {
    const writer = new MetricsLogWriter(folder.metrics, runId);
    try {
      this.options.onEvent?.(writer.append(body));
      writer.sync();
    } finally {
      writer.close();
    }
  }

  private notify(runId: string): void {
    if (this.options.onUpdate) {
      try {
        this.options.onUpdate(this.summary(runId));
      } catch {
        // listeners must not break the manager
      }
    }
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Called by the queue when the run's turn has come. */
  private start(runId: string, resume: boolean, ended: () => void): StartedJob | null {
    const folder = runFolder(this.options.dataDir, runId);
    // Worker output (tfjs notices, crashes) goes straight to log.txt, so it outlives this process.
    const logFd = openSync(folder.log, 'a');
    let proc: TrainingProcess;
    try {
      proc = this.launcher.launch({
        entry: 'training',
        args: encodeWorkerArgs({ runFolder: folder.root, dataDir: this.options.dataDir, resume }),
        // LD_LIBRARY_PATH is read only at process start: a Vulkan loader for webgpu goes in here (vulkan.ts)
        env: { ...vulkanLaunchEnvironment({ ...process.env, ...this.options.workerEnv }), ...this.options.workerEnv },
        logFd,
      });
    } catch (error) {
      closeSync(logFd);
      this.setState(runId, 'failed', `could not start the training process: ${(error as Error).message}`, null, true);
      return null;
    }
    const job: ActiveJob = { runId, process: proc, stopRequested: null, reported: null, error: null };
    this.active = job;
    this.setState(runId, 'running', null, proc.pid);
    proc.onMessage((message) => this.onWorkerMessage(job, message));
    proc.onExit((code, signal) => {
      // a launcher may pipe the worker's output into this descriptor until it ends (utilityProcess)
      closeSync(logFd);
      this.onWorkerExit(job, code, signal);
      ended();
    });
    return {
      requestStop: (reason) => {
        // a cancel overrides a pause asked for before; a shutdown pauses (the run resumes at the next start)
        if (reason === 'cancel') job.stopRequested = 'cancel';
        else job.stopRequested ??= 'pause';
        proc.send({ type: reason === 'cancel' ? 'cancel' : 'pause' });
      },
      kill: () => proc.kill('SIGKILL'),
    };
  }

  private onWorkerMessage(job: ActiveJob, message: WorkerMessage): void {
    if (message.type !== 'event' || this.disposed) return;
    this.handleEvent(job.runId, message.event);
    const event = message.event;
    if (event.type === 'state') {
      job.reported = event.state;
      if (event.state === 'failed') job.error = event.message ?? 'training failed';
    }
  }

  /** Shared by live workers and adopted ones (whose events come from the file). */
  private handleEvent(runId: string, event: RunEvent): void {
    if (event.type === 'validation') recordValidation(this.options.db, runId, event.step, event.epoch, event.metrics);
    try {
      this.options.onEvent?.(event);
    } catch {
      // a broken listener must not stop training bookkeeping
    }
    if (event.type === 'started' || event.type === 'validation' || event.type === 'epoch') this.notify(runId);
  }

  private onWorkerExit(job: ActiveJob, code: number | null, signal: string | null): void {
    // after dispose the catalog may be closed: the next start's recovery records how it ended
    if (this.disposed) return;
    if (this.active === job) this.active = null;
    const reported = job.reported;
    if (reported && reported !== 'running' && terminalOrIdle.includes(reported)) {
      this.setState(job.runId, reported, reported === 'failed' ? job.error : null, null);
    } else if (job.stopRequested === 'cancel') {
      this.setState(job.runId, 'cancelled', null, null, true, 'the training process was stopped');
    } else {
      const why = signal ? `the training process was killed (${signal})` : `the training process exited with code ${code} (see ${runFolder(this.options.dataDir, job.runId).log})`;
      this.setState(job.runId, 'interrupted', `${why}; resume continues from the last checkpoint`, null, true);
    }
  }

  /** At start: queued runs queue again; running ones are adopted or marked interrupted. */
  private recoverAfterRestart(): void {
    const rows = listRunRows(this.options.db).reverse();
    for (const row of rows) {
      if (row.state !== 'queued' && row.state !== 'running' && row.state !== 'orphaned') continue;
      // Another live app or CLI owns it (two managers on one data folder): leave it to that one.
      const owner = readJsonFile<RunStatusFile>(runFolder(this.options.dataDir, row.id).status)?.ownerPid;
      if (owner !== undefined && owner !== process.pid && isProcessAlive(owner)) {
        if (row.state !== 'queued') this.watchForeign(row.id);
        continue;
      }
      if (row.state === 'queued') {
        this.queue.enqueue(row.id, { resume: existsSync(path.join(runFolder(this.options.dataDir, row.id).latest, 'checkpoint.json')) });
        continue;
      }
      if (row.state !== 'running' && row.state !== 'orphaned') continue;
      const folder = runFolder(this.options.dataDir, row.id);
      const beat = readHeartbeat(folder.heartbeat);
      if (beat && heartbeatIsLive(beat)) this.adopt(row.id, beat.pid, folder);
      else this.finishDeadRun(row.id, folder, beat ? `its training process (pid ${beat.pid}) is gone` : 'its training process never reported');
    }
  }

  /** Keeps the one training slot busy while another manager's run trains. */
  private watchForeign(runId: string): void {
    const folder = runFolder(this.options.dataDir, runId);
    const timer = setInterval(() => {
      if (this.disposed) return clearInterval(timer);
      const row = getRunRow(this.options.db, runId);
      if (row && (row.state === 'running' || row.state === 'orphaned') && heartbeatIsLive(readHeartbeat(folder.heartbeat))) return;
      clearInterval(timer);
      this.foreign.delete(runId);
      this.queue.pump();
    }, this.options.pollMs ?? 1000);
    timer.unref();
    this.foreign.add(runId);
  }

  /** The last state the worker wrote decides; without one the run was interrupted. */
  private finishDeadRun(runId: string, folder: RunFolder, why: string): void {
    const { events } = readMetricsLog(folder.metrics);
    const last = [...events].reverse().find((e) => e.type === 'state');
    const state = last?.type === 'state' ? last.state : null;
    if (state && state !== 'running' && state !== 'queued' && state !== 'orphaned') {
      this.setState(runId, state, state === 'failed' && last?.type === 'state' ? (last.message ?? null) : null, null);
    } else {
      this.setState(runId, 'interrupted', `${why}; resume continues from the last checkpoint`, null, true);
    }
  }

  private adopt(runId: string, pid: number, folder: RunFolder): void {
    const offset = existsSync(folder.metrics) ? fstatSizeOf(folder.metrics) : 0;
    const job: AdoptedJob = {
      runId,
      pid,
      offset,
      cancelRequested: false,
      timer: setInterval(() => this.pollAdopted(job, folder), this.options.pollMs ?? 1000),
    };
    job.timer.unref();
    this.adopted.set(runId, job);
    this.setState(runId, 'orphaned', null, pid);
  }

  private pollAdopted(job: AdoptedJob, folder: RunFolder): void {
    const { text, end } = readFrom(folder.metrics, job.offset);
    // forward only whole lines; a line being written is read on the next poll
    const cut = text.lastIndexOf('\n') + 1;
    if (cut > 0) {
      job.offset += Buffer.byteLength(text.slice(0, cut));
      for (const event of parseMetricsLog(text.slice(0, cut)).events) this.handleEvent(job.runId, event);
    } else if (end < job.offset) job.offset = end;
    if (isProcessAlive(job.pid)) return;
    clearInterval(job.timer);
    this.adopted.delete(job.runId);
    this.finishDeadRun(job.runId, folder, `its adopted training process (pid ${job.pid}) ended without a final state`);
    this.queue.pump();
  }
}

function fstatSizeOf(file: string): number {
  const fd = openSync(file, 'r');
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}

function readFrom(file: string, offset: number): { text: string; end: number } {
  if (!existsSync(file)) return { text: '', end: 0 };
  const fd = openSync(file, 'r');
  try {
    const end = fstatSync(fd).size;
    if (end <= offset) return { text: '', end };
    const buffer = Buffer.alloc(end - offset);
    readSync(fd, buffer, 0, buffer.length, offset);
    return { text: buffer.toString('utf8'), end };
  } finally {
    closeSync(fd);
  }
}
