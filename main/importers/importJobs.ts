import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PlanRequest } from './buildImportPlan';
import type { FromImportWorker, ToImportWorker } from './importMessages';
import type { ImportFileReport, ImportFinishedEvent, ImportJobReport, ImportJobSummary, ImportProgressEvent } from '../../shared/api/import';

export interface ImportJobEvents {
  progress(event: ImportProgressEvent): void;
  finished(event: ImportFinishedEvent): void;
}

interface Job {
  summary: ImportJobSummary;
  files: ImportFileReport[];
  child: ChildProcess | null;
  startedMs: number;
  cancelRequested: boolean;
  done: Promise<ImportJobSummary>;
}

/** A second import of a folder that is being imported. */
export class ImportConflictError extends Error {}

/** The worker entry: the compiled .js next to this file when built, else the .ts run through tsx. */
export function importWorkerCommand(): { entry: string; execArgv: string[] } {
  const js = fileURLToPath(new URL('./importWorker.js', import.meta.url));
  if (existsSync(js)) return { entry: js, execArgv: [] };
  const ts = fileURLToPath(new URL('./importWorker.ts', import.meta.url));
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { entry: ts, execArgv: ['--import', tsx] };
}

/**
 * Import jobs of this app: each runs in its own child process (decoding and
 * hashing never block the main thread), reports progress and per-file
 * results, and can be cancelled (cooperatively, then by kill).
 */
export class ImportJobManager {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly dataDir: string,
    private readonly events: ImportJobEvents,
  ) {}

  start(request: PlanRequest): string {
    const target = path.resolve(request.path);
    const clash = [...this.jobs.values()].find((j) => j.summary.state === 'running' && path.resolve(j.summary.path) === target);
    if (clash) throw new ImportConflictError(`${target} is being imported already (job ${clash.summary.jobId})`);
    const jobId = randomUUID();
    const summary: ImportJobSummary = {
      jobId,
      path: request.path,
      format: request.format ?? null,
      datasetId: null,
      state: 'running',
      done: 0,
      total: 0,
      counts: { imported: 0, duplicate: 0, skipped: 0 },
      startedAt: new Date().toISOString(),
      finishedAt: null,
      error: null,
    };
    const { entry, execArgv } = importWorkerCommand();
    const child = fork(entry, [], { execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const job: Job = { summary, files: [], child, startedMs: Date.now(), cancelRequested: false, done: Promise.resolve(summary) };
    this.jobs.set(jobId, job);
    job.done = new Promise((resolve) => {
      const finish = (state: ImportJobSummary['state'], error: string | null) => {
        if (summary.state !== 'running') return;
        summary.state = state;
        summary.error = error;
        summary.finishedAt = new Date().toISOString();
        job.child = null;
        this.events.finished({ jobId, datasetId: summary.datasetId, state: state as ImportFinishedEvent['state'], counts: { ...summary.counts }, error });
        resolve(summary);
      };
      child.on('message', (message: FromImportWorker) => {
        switch (message.type) {
          case 'planned':
            summary.datasetId = message.datasetId;
            summary.format = message.format;
            summary.total = message.total;
            break;
          case 'progress':
            this.progress(job, message.done, message.total, message.currentFile);
            break;
          case 'file':
            job.files.push(message.report);
            summary.counts[message.report.status]++;
            this.progress(job, message.done, message.total, message.report.path);
            break;
          case 'finished':
            summary.counts = message.counts;
            finish(message.state, null);
            break;
          case 'failed':
            finish('failed', message.error);
            break;
        }
      });
      child.on('exit', (code, signal) => {
        if (job.cancelRequested) finish('cancelled', null);
        else finish('failed', `import process ended (${signal ?? `exit code ${code}`}) before finishing${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`);
      });
      child.on('error', (error) => finish('failed', `import process: ${error.message}`));
    });
    const start: ToImportWorker = { type: 'start', dataDir: this.dataDir, request };
    child.send(start);
    return jobId;
  }

  private progress(job: Job, done: number, total: number, currentFile: string): void {
    job.summary.done = done;
    job.summary.total = total;
    const seconds = (Date.now() - job.startedMs) / 1000;
    this.events.progress({ jobId: job.summary.jobId, datasetId: job.summary.datasetId, done, total, currentFile, filesPerSecond: seconds > 0 ? Math.round((done / seconds) * 10) / 10 : 0 });
  }

  /** Asks the worker to stop after the current file; kills it if it has not stopped within graceMs. */
  cancel(jobId: string, graceMs = 5000): boolean {
    const job = this.jobs.get(jobId);
    if (!job || job.summary.state !== 'running' || !job.child) return false;
    job.cancelRequested = true;
    const child = job.child;
    const cancel: ToImportWorker = { type: 'cancel' };
    if (child.connected) child.send(cancel);
    const timer = setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }, graceMs);
    timer.unref();
    return true;
  }

  summary(jobId: string): ImportJobSummary | null {
    const job = this.jobs.get(jobId);
    return job ? { ...job.summary, counts: { ...job.summary.counts } } : null;
  }

  report(jobId: string): ImportJobReport | null {
    const job = this.jobs.get(jobId);
    return job ? { ...job.summary, counts: { ...job.summary.counts }, files: [...job.files] } : null;
  }

  list(): ImportJobSummary[] {
    return [...this.jobs.values()].map((j) => ({ ...j.summary, counts: { ...j.summary.counts } })).reverse();
  }

  /** Resolves when the job has finished (completed, cancelled or failed). */
  wait(jobId: string): Promise<ImportJobSummary> {
    const job = this.jobs.get(jobId);
    if (!job) return Promise.reject(new Error(`no import job ${jobId}`));
    return job.done;
  }

  /** The worker of a running job (tests kill it to prove crash safety). */
  processOf(jobId: string): ChildProcess | null {
    return this.jobs.get(jobId)?.child ?? null;
  }

  /** Cancels running jobs and waits for their processes to end (app shutdown). */
  async close(): Promise<void> {
    const running = [...this.jobs.values()].filter((j) => j.summary.state === 'running');
    for (const job of running) this.cancel(job.summary.jobId, 2000);
    await Promise.all(running.map((j) => j.done));
  }
}
