/**
 * How main starts its worker processes (training runs, tools, imports,
 * studies). Plain Node forks the worker entry; the Electron shell passes a
 * launcher over utilityProcess instead (main/electron owns that one: only it
 * may import electron), so the packaged app never runs its binary as Node.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import workerEntryTable from './workerEntries.json';

/**
 * The worker processes main starts, by name: each one's entry source below
 * main/ (workerEntries.json, which scripts/buildElectron.js bundles from too,
 * as <basename>.js). The launcher knows entries only through this table.
 */
export type WorkerEntry = keyof typeof workerEntryTable;

/** A started worker; In is what it is sent, Out what it sends back. */
export interface WorkerProcess<In, Out> {
  readonly pid: number | null;
  send(command: In): void;
  onMessage(listener: (message: Out) => void): void;
  /** after every message the worker sent was delivered; code is null when killed by a signal */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(signal?: NodeJS.Signals): void;
}

export interface LaunchOptions {
  /** which worker: a training run, a one-shot tool (export, predictions), an import, a study */
  entry: WorkerEntry;
  /** the worker's argv after the entry */
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** an open file the worker's stdout / stderr go to (the run's log.txt), so they outlive the parent */
  logFd?: number;
  /** or: the worker's stderr, as it comes (for an error message when it crashes) */
  onStderr?: (text: string) => void;
  /**
   * Its own process group (default): a Ctrl-C in the terminal reaches only the
   * CLI, which pauses a run cleanly. false: the worker ends with the terminal's
   * Ctrl-C too (imports, which resume where they stopped).
   */
  ownProcessGroup?: boolean;
}

export interface ProcessLauncher {
  launch<In, Out>(options: LaunchOptions): WorkerProcess<In, Out>;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** tsx's ESM loader (its package's main export), resolved from this project. */
export function tsxLoaderUrl(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json').replace(/package\.json$/, 'dist/loader.mjs')).href;
}

/** A worker entry: the bundled .js next to this file, else its .ts source (run with tsx). */
export function workerEntryPath(entry: WorkerEntry): string {
  const source = workerEntryTable[entry];
  const js = path.join(here, `${path.basename(source)}.js`);
  return existsSync(js) ? js : path.join(here, '..', `${source}.ts`);
}

export function createNodeForkLauncher(entryPath: (entry: WorkerEntry) => string = workerEntryPath): ProcessLauncher {
  return {
    launch<In, Out>(options: LaunchOptions): WorkerProcess<In, Out> {
      const entry = entryPath(options.entry);
      const output = options.logFd ?? 'ignore';
      const child = fork(entry, options.args, {
        // From .ts sources the child needs tsx's loader, as bin/umedpt.js has; named by
        // absolute URL, since a bare 'tsx' would resolve from the user's working folder.
        execArgv: entry.endsWith('.ts') ? ['--import', tsxLoaderUrl()] : [],
        env: { ...process.env, ...options.env },
        stdio: ['ignore', output, options.onStderr ? 'pipe' : output, 'ipc'],
        serialization: 'json',
        detached: options.ownProcessGroup ?? true,
      });
      const onStderr = options.onStderr;
      if (onStderr) child.stderr?.on('data', (chunk: Buffer) => onStderr(chunk.toString()));
      const exitListeners: Array<(code: number | null, signal: string | null) => void> = [];
      let ended = false;
      const end = (code: number | null, signal: string | null) => {
        if (ended) return;
        ended = true;
        for (const listener of exitListeners) listener(code, signal);
      };
      // 'close', not 'exit': it waits for the IPC channel, so no message is still in flight
      child.once('close', end);
      // a process that never started has no 'close' to wait for
      child.on('error', (error) => {
        if (child.pid === undefined) end(null, `could not start: ${error.message}`);
      });
      return {
        get pid() {
          return child.pid ?? null;
        },
        send(command) {
          // a worker that just died cannot take it; its 'close' reports the end
          if (child.connected) child.send(command as object, (error) => void error);
        },
        onMessage(listener) {
          child.on('message', (message) => listener(message as Out));
        },
        onExit(listener) {
          exitListeners.push(listener);
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
