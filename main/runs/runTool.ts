/** Runs one tool request (export, predictions) in its own process and returns its answer. */
import type { ProcessLauncher } from '../workers/processLauncher';
import type { ToolRequest, WorkerCommand, WorkerMessage } from './workerProtocol';

export function runToolProcess<T>(launcher: ProcessLauncher, request: ToolRequest, env?: NodeJS.ProcessEnv): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const proc = launcher.launch<WorkerCommand, WorkerMessage>({ entry: 'tool', args: [], env });
    let settled = false;
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
