/** Runs one tool request (export, predictions) in its own process and returns its answer. */
import type { ProcessLauncher } from '../workers/processLauncher';
import type { ToolRequest, WorkerCommand, WorkerMessage } from './workerProtocol';

/** signal: the caller went away; the tool process is ended and the promise rejected. */
export function runToolProcess<T>(launcher: ProcessLauncher, request: ToolRequest, env?: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<T> {
  if (signal?.aborted) return Promise.reject(new Error(`the ${request.op} was cancelled (the caller went away)`));
  return new Promise<T>((resolve, reject) => {
    const proc = launcher.launch<WorkerCommand, WorkerMessage>({ entry: 'tool', args: [], env });
    let settled = false;
    signal?.addEventListener(
      'abort',
      () => {
        if (settled) return;
        settled = true;
        proc.kill('SIGKILL');
        reject(new Error(`the ${request.op} was cancelled (the caller went away)`));
      },
      { once: true },
    );
    proc.onMessage((message) => {
      if (message.type !== 'result' || settled) return;
      settled = true;
      if (message.ok) resolve(message.value as T);
      else reject(new Error(message.error));
    });
    proc.onExit((code, signal) => {
      if (settled) return;
      settled = true;
      reject(new Error(`the ${request.op} process ended without an answer (${signal ?? `exit code ${code}`})`));
    });
    proc.send({ type: 'tool', request });
  });
}
