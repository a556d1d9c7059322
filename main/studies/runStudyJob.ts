/**
 * One study from its folder to its outputs, as the worker process runs it:
 * read the config, start the engine, load the task, run every combination
 * (rows appended as they finish, progress reported), write the table, plot
 * and report, and leave the final state in status.json.
 */
import { writeFileSync } from 'node:fs';
import { initEngine } from '../engine/backend/initEngine';
import { backendRequestFor } from '../../shared/backendChoice';
import type { EvalProgressEvent, EvalState } from '../../shared/api/eval';
import { appendEvalRow, readStudyConfig, readStudyStatus, writeStudyStatus, type StudyFolder, type StudyStatusFile } from './studyFolder';
import { loadStudyTask } from './studyTaskData';
import { primaryMetricByKind } from './downstreamMetrics';
import { runStudy, StudyCancelled, studySize } from './runStudy';
import { writeStudyOutputs } from './studyOutputs';

/** A study reads tensors synchronously (embeddings, probes), which webgpu cannot do in Node: a forced webgpu falls back. */
export const studyUnsupportedBackends = { webgpu: 'a study reads tensors synchronously, which webgpu cannot do in Node' } as const;

export async function runStudyJob(folder: StudyFolder, dataDir: string, signal: AbortSignal, report: (event: EvalProgressEvent) => void, log: (line: string) => void = () => {}): Promise<EvalState> {
  const started = performance.now();
  const config = readStudyConfig(folder);
  let status: StudyStatusFile = readStudyStatus(folder) ?? {
    id: folder.root.split(/[\\/]/).pop()!,
    name: config.name,
    state: 'running',
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    taskName: config.task.name,
    taskKind: config.task.kind,
    encoders: [],
    progress: { done: 0, total: studySize(config) },
    error: null,
    pid: process.pid,
  };
  const update = (patch: Partial<StudyStatusFile>, message?: string, row?: EvalProgressEvent['row']) => {
    status = { ...status, ...patch, updatedAt: new Date().toISOString() };
    writeStudyStatus(folder, status);
    report({ evalId: status.id, time: status.updatedAt, state: status.state, progress: status.progress, ...(message ? { message } : {}), ...(row ? { row } : {}) });
  };
  const say = (message: string) => {
    log(message);
    update({}, message);
  };
  try {
    update({ state: 'running', pid: process.pid, error: null, progress: { done: 0, total: studySize(config) } }, 'started');
    // rows of an earlier, interrupted attempt are not mixed into this one
    writeFileSync(folder.rows, '');
    // the study's config > UMEDPT_BACKEND > the setting (passed by the services' launcher) > automatic
    const engine = await initEngine({ request: backendRequestFor(config.backend, process.env), unsupported: studyUnsupportedBackends });
    say(`backend ${engine.backend} (${engine.reason})`);
    const task = await loadStudyTask(config, dataDir);
    say(`task ${task.name}: ${task.description}`);
    const outcome = await runStudy(config, task, dataDir, {
      signal,
      onLog: say,
      onRow: (row, done, total) => {
        appendEvalRow(folder, row);
        log(`${row.encoder} ${row.mode} ${row.fraction}% seed ${row.seed}: ${row.status} ${JSON.stringify(row.metrics)}`);
        update({ progress: { done, total } }, undefined, row);
      },
    });
    update({ encoders: outcome.encoders.map((e) => e.label) });
    await writeStudyOutputs(folder.root, {
      config,
      taskDescription: task.description,
      classNames: task.classNames,
      primaryMetric: primaryMetricByKind[task.kind],
      rows: outcome.rows,
      modelCards: outcome.encoders.map((e) => ({ label: e.label, card: e.modelCard })),
      backend: engine.backend,
      createdAt: status.createdAt,
      seconds: (performance.now() - started) / 1000,
    });
    update({ state: 'completed', pid: null }, `completed in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return 'completed';
  } catch (error) {
    if (error instanceof StudyCancelled || signal.aborted) {
      update({ state: 'cancelled', pid: null }, 'cancelled');
      return 'cancelled';
    }
    const message = error instanceof Error ? error.message : String(error);
    log(`failed: ${error instanceof Error ? (error.stack ?? message) : message}`);
    update({ state: 'failed', pid: null, error: message }, `failed: ${message}`);
    return 'failed';
  }
}
