/**
 * Label-efficiency studies as jobs: one worker process per study (forked with
 * the workers' process launcher, so tfjs never blocks the app), one study
 * at a time, the rest queued. Everything a study is lives in its folder;
 * after a restart, a study left 'running' by a dead process is marked failed.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultProcessLauncher, type ProcessLauncher, type WorkerProcess } from '../workers/processLauncher';
import type { JobControl } from '../workers/jobControl';
import { JobQueue, type StartedJob } from '../workers/jobQueue';
import { writeJsonAtomic } from '../files/atomicFile';
import type { EvalConfig, EvalDetail, EvalProgressEvent, EvalResults, EvalSaving, EvalSummary } from '../../shared/api/eval';
import { studyFolder, listStudyIds, newStudyId, readStudyConfig, readStudyRows, readStudyStatus, writeStudyStatus, type StudyFolder, type StudyStatusFile } from './studyFolder';
import type { StudyWorkerCommand, StudyWorkerMessage } from './studyWorkerProtocol';
import { primaryMetricByKind } from './downstreamMetrics';
import { aggregateCurves } from './studyCurves';
import { studyFiles, type StudyResultsFile } from './studyOutputs';
import { chanceLevel } from './labelEfficiencyPlot';
import { readJsonFile } from '../runs/runFolder';
import { baselineLabels, studySavings } from './studySavings';
import { studySize } from './runStudy';

type StudyProcess = WorkerProcess<StudyWorkerCommand, StudyWorkerMessage>;

export class StudyNotFoundError extends Error {}
export class StudyConflictError extends Error {}

export interface StudyManagerOptions {
  dataDir: string;
  onProgress?: (event: EvalProgressEvent) => void;
  /** how the worker starts (default: the app's launcher, utilityProcess in Electron) */
  launcher?: ProcessLauncher;
}

function isAlive(pid: number | null): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** a study worker asked to stop is killed after this long (it may be inside one long tfjs call) */
const cancelGraceMs = 30_000;
const shutdownGraceMs = 10_000;

/** results.json's savings, or null when absent or written before savings judged their baseline */
function savedSavings(file: string): EvalSaving[] | null {
  const savings = readJsonFile<StudyResultsFile>(file)?.savings;
  return savings && savings.every((s) => s.noMeaningfulBaseline !== undefined) ? savings : null;
}

export class StudyManager implements JobControl<EvalSummary> {
  /** one study at a time (each trains many models); the rest wait here */
  private readonly queue = new JobQueue<undefined>({ slots: 1, start: (id, _payload, ended) => this.start(id, ended) });
  private readonly launcher: ProcessLauncher;

  constructor(private readonly options: StudyManagerOptions) {
    this.launcher = options.launcher ?? defaultProcessLauncher();
    this.recover();
  }

  private folder(id: string): StudyFolder {
    const folder = studyFolder(this.options.dataDir, id);
    if (!existsSync(folder.status)) throw new StudyNotFoundError(`no study ${id}`);
    return folder;
  }

  private summary(id: string): EvalSummary {
    const folder = this.folder(id);
    const status = readStudyStatus(folder);
    if (!status) throw new StudyNotFoundError(`study ${id}: ${folder.status} is unreadable`);
    const { pid: _pid, ...rest } = status;
    return { ...rest, folder: folder.root };
  }

  /** studies a dead process left 'running' (crash, kill, app quit) cannot finish: mark them failed */
  private recover(): void {
    for (const id of listStudyIds(this.options.dataDir)) {
      const folder = studyFolder(this.options.dataDir, id);
      const status = readStudyStatus(folder);
      if (status && (status.state === 'running' || status.state === 'queued') && !isAlive(status.pid)) {
        writeStudyStatus(folder, { ...status, state: 'failed', pid: null, error: status.state === 'queued' ? 'the app stopped before the study started' : 'its process ended without finishing (crash or app quit)', updatedAt: new Date().toISOString() });
      }
    }
  }

  launch(config: EvalConfig): EvalSummary {
    const id = newStudyId();
    const folder = studyFolder(this.options.dataDir, id);
    mkdirSync(folder.root, { recursive: true });
    writeJsonAtomic(folder.config, config);
    const now = new Date().toISOString();
    const status: StudyStatusFile = {
      id,
      name: config.name,
      state: 'queued',
      createdAt: now,
      updatedAt: now,
      taskName: config.task.name,
      taskKind: config.task.kind,
      encoders: config.encoders.map((e) => e.label ?? (e.kind === 'random' ? `random init (${e.encoder})` : e.kind === 'run' ? e.runId : path.basename(e.dir))),
      progress: { done: 0, total: studySize(config) },
      error: null,
      pid: null,
    };
    writeStudyStatus(folder, status);
    this.queue.enqueue(id, undefined);
    return this.summary(id);
  }

  /** Called by the queue when the study's turn has come. */
  private start(id: string, ended: () => void): StartedJob | null {
    const folder = studyFolder(this.options.dataDir, id);
    const logFd = openSync(folder.log, 'a');
    let child: StudyProcess;
    try {
      child = this.launcher.launch<StudyWorkerCommand, StudyWorkerMessage>({ entry: 'study', args: [folder.root, this.options.dataDir], logFd });
    } catch (error) {
      closeSync(logFd);
      const status = readStudyStatus(folder);
      if (status) writeStudyStatus(folder, { ...status, state: 'failed', error: `could not start the study's process: ${(error as Error).message}`, updatedAt: new Date().toISOString() });
      return null;
    }
    child.onMessage((message) => {
      if (message.type === 'progress') this.options.onProgress?.(message.event);
    });
    child.onExit((code, signal) => {
      // a launcher may pipe the worker's output into this descriptor until it ends (utilityProcess)
      closeSync(logFd);
      const status = readStudyStatus(folder);
      if (status && (status.state === 'running' || status.state === 'queued')) {
        const error = `the study's process exited (${signal ?? `code ${code}`}) before finishing; see ${folder.log}`;
        const updated = { ...status, state: 'failed' as const, pid: null, error, updatedAt: new Date().toISOString() };
        writeStudyStatus(folder, updated);
        this.options.onProgress?.({ evalId: id, time: updated.updatedAt, state: 'failed', progress: updated.progress, message: error });
      }
      ended();
    });
    const status = readStudyStatus(folder);
    if (status) writeStudyStatus(folder, { ...status, pid: child.pid, updatedAt: new Date().toISOString() });
    // the worker records itself as cancelled, whatever the reason it was asked to stop
    return { requestStop: () => child.send({ type: 'cancel' }), kill: () => child.kill('SIGKILL') };
  }

  list(): EvalSummary[] {
    return listStudyIds(this.options.dataDir)
      .map((id) => this.summary(id))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  get(id: string): EvalDetail {
    const folder = this.folder(id);
    return { ...this.summary(id), config: readStudyConfig(folder), pid: readStudyStatus(folder)?.pid ?? null };
  }

  cancel(id: string): EvalSummary {
    const folder = this.folder(id);
    const status = readStudyStatus(folder)!;
    if (status.state === 'completed' || status.state === 'failed' || status.state === 'cancelled') throw new StudyConflictError(`study ${id} is already ${status.state}`);
    if (this.queue.withdraw(id)) writeStudyStatus(folder, { ...status, state: 'cancelled', updatedAt: new Date().toISOString() });
    else this.queue.stop(id, 'cancel', cancelGraceMs);
    return this.summary(id);
  }

  /** resolves when the study left the queue and its process (if any) ended */
  async waitFor(id: string): Promise<EvalSummary> {
    for (;;) {
      await this.queue.ended(id);
      const state = this.summary(id).state;
      if (state !== 'queued' && state !== 'running') return this.summary(id);
      if (!this.queue.has(id)) return this.summary(id);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  results(id: string): EvalResults {
    const folder = this.folder(id);
    const summary = this.summary(id);
    const config = readStudyConfig(folder);
    const rows = readStudyRows(folder);
    const primaryMetric = primaryMetricByKind[config.task.kind];
    const files = studyFiles(folder.root);
    const done = summary.state === 'completed' && existsSync(files.svg);
    return {
      id,
      state: summary.state,
      primaryMetric,
      rows,
      curves: aggregateCurves(rows, primaryMetric),
      // a completed study's savings as results.json states them (judged against chance for its class count);
      // while it runs, from the rows so far, with chance taken as 0 where it depends on the class count
      savings: (done ? savedSavings(files.json) : null) ?? studySavings(rows, primaryMetric, baselineLabels(config), { chance: chanceLevel(primaryMetric, 0) }),
      svg: done ? readFileSync(files.svg, 'utf8') : null,
      files: done ? files : null,
    };
  }

  /** cancels the running study (it records itself as cancelled) and forgets the queue */
  async dispose(): Promise<void> {
    const dropped = await this.queue.close({ stopRunning: true, graceMs: shutdownGraceMs });
    for (const { id } of dropped) {
      const folder = studyFolder(this.options.dataDir, id);
      const status = readStudyStatus(folder);
      if (status) writeStudyStatus(folder, { ...status, state: 'cancelled', updatedAt: new Date().toISOString() });
    }
  }
}
