import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { defaultProcessLauncher, type ProcessLauncher, type WorkerProcess } from '../workers/processLauncher';
import type { JobControl } from '../workers/jobControl';
import { JobQueue, type StartedJob } from '../workers/jobQueue';
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
  child: ImportProcess | null;
  /** its process has ended (all its messages delivered) */
  exited: boolean;
  startedMs: number;
  cancelRequested: boolean;
  done: Promise<ImportJobSummary>;
}

/** A second import of a folder that is being imported, or a cancel of an import that has ended. */
export class ImportConflictError extends Error {}
export class ImportNotFoundError extends Error {}

type ImportProcess = WorkerProcess<ToImportWorker, FromImportWorker>;

/**
 * Import jobs of this app: each runs in its own child process (decoding and
 * hashing never block the main thread), reports progress and per-file
 * results, and can be cancelled (cooperatively, then by kill).
 */
export class ImportJobManager implements JobControl<ImportJobSummary> {
  private readonly jobs = new Map<string, Job>();
  /** imports do not wait for each other (each is one folder, one process) */
  private readonly queue = new JobQueue<PlanRequest>({ slots: Infinity, start: (jobId, request, ended) => this.launch(jobId, request, ended) });

  private readonly launcher: ProcessLauncher;

  constructor(
    private readonly dataDir: string,
    private readonly events: ImportJobEvents,
    /** how the worker starts (default: the app's launcher, utilityProcess in Electron) */
    launcher?: ProcessLauncher,
  ) {
    this.launcher = launcher ?? defaultProcessLauncher();
  }

  start(request: PlanRequest): string {
    const target = path.resolve(request.path);
    const clash = [...this.jobs.values()].find((j) => j.summary.state === 'running' && path.resolve(j.summary.path) === target);
    if (clash) throw new ImportConflictError(`${target} is being imported already (job ${clash.summary.jobId})`);
    const jobId = randomUUID();
    this.queue.enqueue(jobId, request);
    return jobId;
  }

  /** Called by the queue: starts the job's worker at once. */
  private launch(jobId: string, request: PlanRequest, ended: () => void): StartedJob {
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
    let stderr = '';
    const child = this.launcher.launch<ToImportWorker, FromImportWorker>({
      entry: 'import',
      args: [],
      onStderr: (text) => {
        stderr = (stderr + text).slice(-4000);
      },
      // a Ctrl-C on `umedpt import` ends the worker too; a re-run resumes the import
      ownProcessGroup: false,
    });
    const job: Job = { summary, files: [], child, exited: false, startedMs: Date.now(), cancelRequested: false, done: Promise.resolve(summary) };
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
      child.onMessage((message) => {
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
            if (message.datasetRemoved) summary.datasetId = null;
            finish('failed', message.error);
            break;
        }
      });
      child.onExit((code, signal) => {
        job.exited = true;
        if (job.cancelRequested) finish('cancelled', null);
        else finish('failed', `import process ended (${signal ?? `exit code ${code}`}) before finishing${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`);
        ended();
      });
    });
    const start: ToImportWorker = { type: 'start', dataDir: this.dataDir, request };
    child.send(start);
    return {
      // the worker stops after the current file; the dataset stays resumable
      requestStop: () => {
        job.cancelRequested = true;
        const cancel: ToImportWorker = { type: 'cancel' };
        child.send(cancel);
      },
      kill: () => {
        if (!job.exited) child.kill('SIGKILL');
      },
    };
  }

  private progress(job: Job, done: number, total: number, currentFile: string): void {
    job.summary.done = done;
    job.summary.total = total;
    const seconds = (Date.now() - job.startedMs) / 1000;
    this.events.progress({ jobId: job.summary.jobId, datasetId: job.summary.datasetId, done, total, currentFile, filesPerSecond: seconds > 0 ? Math.round((done / seconds) * 10) / 10 : 0 });
  }

  /**
   * Asks the worker to stop after the current file; kills it if it has not
   * stopped within graceMs. Answers the job's summary (still `running` until
   * the worker has stopped); an ended job is a conflict, as for runs and studies.
   */
  cancel(jobId: string, graceMs = 5000): ImportJobSummary {
    const job = this.jobs.get(jobId);
    if (!job) throw new ImportNotFoundError(`no import job ${jobId}`);
    if (job.summary.state !== 'running' || !this.queue.stop(jobId, 'cancel', graceMs)) throw new ImportConflictError(`import job ${jobId} is already ${job.summary.state}`);
    return this.summary(jobId)!;
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
  waitFor(jobId: string): Promise<ImportJobSummary> {
    const job = this.jobs.get(jobId);
    if (!job) return Promise.reject(new Error(`no import job ${jobId}`));
    return job.done;
  }

  /** The worker of a running job (tests kill it to prove crash safety). */
  processOf(jobId: string): ImportProcess | null {
    return this.jobs.get(jobId)?.child ?? null;
  }

  /** Cancels running jobs and waits for their processes to end (app shutdown). */
  async dispose(): Promise<void> {
    const running = [...this.jobs.values()].filter((j) => j.summary.state === 'running');
    await this.queue.close({ stopRunning: true, reason: 'cancel', graceMs: 2000 });
    await Promise.all(running.map((j) => j.done));
  }
}
