/**
 * Training on this machine: the trainer's spawn launcher starts N ranks
 * (gloo on CPU, nccl on GPUs). It runs in its own process group, so cancel
 * reaches every rank (each turns SIGTERM into a checkpoint and a clean stop).
 */
import { spawn } from 'node:child_process';
import { closeSync, cpSync, existsSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isProcessAlive } from '../runs/heartbeat';
import { readMetricsLog } from '../runs/metricsLog';
import { trainerArgs, type ClusterJob, type ClusterJobState, type ClusterLauncher, type LaunchRequest } from './launcher';

export interface LocalLauncherOptions {
  python: string;
  env?: NodeJS.ProcessEnv;
  /** called when the launcher process ends */
  onExit?: (code: number | null, signal: string | null) => void;
}

function lastState(runFolder: string): string | null {
  const events = readMetricsLog(path.join(runFolder, 'metrics.jsonl')).events;
  const last = [...events].reverse().find((e) => e.type === 'state');
  return last?.type === 'state' ? last.state : null;
}

export class LocalLauncher implements ClusterLauncher {
  constructor(private readonly options: LocalLauncherOptions) {}

  launch(request: LaunchRequest): Promise<ClusterJob> {
    const log = openSync(path.join(request.runFolder, 'log.txt'), 'a');
    try {
      const child = spawn(this.options.python, trainerArgs(request, 'spawn'), {
        cwd: request.bundleDir,
        detached: true,
        stdio: ['ignore', log, log],
        env: { ...process.env, ...this.options.env, PYTHONPATH: path.join(request.bundleDir, 'trainer'), PYTHONDONTWRITEBYTECODE: '1' },
      });
      if (child.pid === undefined) throw new Error(`could not start ${this.options.python}`);
      child.on('exit', (code, signal) => this.options.onExit?.(code, signal));
      return Promise.resolve({ on: 'local', id: String(child.pid), runFolder: request.runFolder });
    } finally {
      closeSync(log);
    }
  }

  status(job: ClusterJob): Promise<ClusterJobState> {
    const state = lastState(job.runFolder);
    if (state === 'completed' || state === 'failed' || state === 'cancelled') return Promise.resolve(state);
    return Promise.resolve(isProcessAlive(Number(job.id)) ? 'running' : 'unknown');
  }

  logs(job: ClusterJob): Promise<string> {
    const file = path.join(job.runFolder, 'log.txt');
    return Promise.resolve(existsSync(file) ? readFileSync(file, 'utf8') : '');
  }

  cancel(job: ClusterJob): Promise<void> {
    try {
      process.kill(-Number(job.id), 'SIGTERM');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
    return Promise.resolve();
  }

  fetchResults(job: ClusterJob, into: string): Promise<void> {
    if (path.resolve(into) !== path.resolve(job.runFolder)) cpSync(job.runFolder, into, { recursive: true });
    return Promise.resolve();
  }
}
