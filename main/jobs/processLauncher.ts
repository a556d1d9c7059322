/**
 * How the job manager starts a training process. Plain Node forks the worker
 * entry; the Electron shell passes a launcher over utilityProcess instead
 * (main/electron owns that one: only it may import electron).
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import type { WorkerCommand, WorkerEntry, WorkerMessage } from './workerProtocol';

export interface TrainingProcess {
  readonly pid: number | null;
  send(command: WorkerCommand): void;
  onMessage(listener: (message: WorkerMessage) => void): void;
  /** code is null when killed by a signal */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(signal?: NodeJS.Signals): void;
}

export interface LaunchOptions {
  /** which worker: a training run or a one-shot tool (export, predictions) */
  entry: WorkerEntry;
  /** the worker's argv after the entry */
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** an open file the worker's stdout / stderr go to (the run's log.txt), so they outlive the parent */
  logFd?: number;
}

export interface ProcessLauncher {
  launch(options: LaunchOptions): TrainingProcess;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** tsx's ESM loader (its package's main export), resolved from this project. */
export function tsxLoaderUrl(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json').replace(/package\.json$/, 'dist/loader.mjs')).href;
}

const entryFiles: Record<WorkerEntry, string> = { training: 'trainingWorker', tool: 'toolWorker' };

/** A worker entry next to this file: .ts from sources (run with tsx), .js once bundled. */
export function workerEntryPath(entry: WorkerEntry): string {
  const js = path.join(here, `${entryFiles[entry]}.js`);
  return existsSync(js) ? js : path.join(here, `${entryFiles[entry]}.ts`);
}

export function createNodeForkLauncher(entryPath: (entry: WorkerEntry) => string = workerEntryPath): ProcessLauncher {
  return {
    launch(options) {
      const entry = entryPath(options.entry);
      const child = fork(entry, options.args, {
        // From .ts sources the child needs tsx's loader, as bin/umedpt.js has; named by
        // absolute URL, since a bare 'tsx' would resolve from the user's working folder.
        execArgv: entry.endsWith('.ts') ? ['--import', tsxLoaderUrl()] : [],
        env: { ...process.env, ...options.env },
        stdio: ['ignore', options.logFd ?? 'ignore', options.logFd ?? 'ignore', 'ipc'],
        serialization: 'json',
        // Own process group: a Ctrl-C in the terminal reaches the CLI, which pauses the run cleanly.
        detached: true,
      });
      return {
        get pid() {
          return child.pid ?? null;
        },
        send(command) {
          if (child.connected) child.send(command);
        },
        onMessage(listener) {
          child.on('message', (message) => listener(message as WorkerMessage));
        },
        onExit(listener) {
          child.once('exit', (code, signal) => listener(code, signal));
        },
        kill(signal = 'SIGTERM') {
          child.kill(signal);
        },
      };
    },
  };
}

let configuredLauncher: ProcessLauncher | null = null;

/** The Electron shell calls this (with a utilityProcess launcher) before creating the services. */
export function setDefaultProcessLauncher(launcher: ProcessLauncher | null): void {
  configuredLauncher = launcher;
}

export function defaultProcessLauncher(): ProcessLauncher {
  return configuredLauncher ?? createNodeForkLauncher();
}
