import { createWriteStream } from 'node:fs';
import { workerEntryPath, type LaunchOptions, type ProcessLauncher, type WorkerEntry, type WorkerProcess } from '../workers/processLauncher';
import { engineWindowControlSchema } from '../engine/browser/engineWindowProtocol';
import type { UtilityProcessLike } from './electronApi';
import type { EngineWindowHost } from './engineWindowHost';

/**
 * Starts every worker (training, tools, imports, studies) as an Electron
 * utility process (the app's way to run Node code off the main process; a
 * child_process.fork of the Electron binary would need the runAsNode fuse,
 * which the packaged app turns off). Workers talk back through
 * process.parentPort (main/workers/parentChannel.ts). A run's stdout/stderr are
 * piped into its log file: utilityProcess takes no file descriptors for stdio.
 * A training process's request for an engine window goes to `engineWindows`
 * (main/electron/engineWindowHost.ts) and never reaches the job manager.
 */
export function createUtilityProcessLauncher(
  utilityProcess: UtilityProcessLike,
  entryPath: (entry: WorkerEntry) => string = workerEntryPath,
  engineWindows: EngineWindowHost | null = null,
): ProcessLauncher {
  return {
    launch<In, Out>(options: LaunchOptions): WorkerProcess<In, Out> {
      const child = utilityProcess.fork(entryPath(options.entry), options.args, {
        env: { ...process.env, ...options.env },
        stdio: options.logFd === undefined && !options.onStderr ? 'ignore' : 'pipe',
        serviceName: `UMedPT Studio ${options.entry} worker`,
      });
      const isEngineWindowControl = (message: unknown): boolean => engineWindowControlSchema.safeParse(message).success;
      if (options.entry === 'training') {
        child.on('message', (message) => {
          if (!isEngineWindowControl(message)) return;
          const type = (message as { type: string }).type;
          if (type === 'engine-window/release') engineWindows?.release(child);
          if (type !== 'engine-window/request-port') return;
          if (engineWindows) engineWindows.serve(child);
          else child.postMessage({ type: 'engine-window/unavailable', reason: 'this app has no engine windows' });
        });
      }
      if (options.logFd !== undefined) {
        // The job manager owns the descriptor and closes it: never close it here.
        const log = createWriteStream('', { fd: options.logFd, autoClose: false });
        child.stdout?.pipe(log, { end: false });
        child.stderr?.pipe(log, { end: false });
      } else if (options.onStderr) {
        const onStderr = options.onStderr;
        child.stderr?.on('data', (chunk: Buffer) => onStderr(chunk.toString()));
      }
      return {
        get pid() {
          return child.pid ?? null;
        },
        send(command) {
          child.postMessage(command);
        },
        onMessage(listener) {
          child.on('message', (message) => {
            if (!isEngineWindowControl(message)) listener(message as Out);
          });
        },
        onExit(listener) {
          // utilityProcess reports an exit code only; a kill shows up as a non-zero code.
          child.once('exit', (code) => listener(code, null));
        },
        kill() {
          child.kill();
        },
      };
    },
  };
}
