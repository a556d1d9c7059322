/**
 * Entry of a one-shot tool process: export or predictions of a run's model.
 * It takes one 'tool' command, answers with one 'result' and exits.
 */
import type { WorkerCommand, WorkerMessage } from './workerProtocol';
import { exportRun } from './exportRun';
import { runPredictions } from './runPredictions';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

const port = (process as unknown as { parentPort?: ParentPort }).parentPort;
const post = (message: WorkerMessage): void => {
  if (port) port.postMessage(message);
  else if (process.connected) process.send?.(message, undefined, undefined, () => {});
};

async function handle(command: WorkerCommand): Promise<void> {
  if (command.type !== 'tool') return;
  try {
    const { request } = command;
    const value = request.op === 'export' ? await exportRun(request.options) : await runPredictions(request.request);
    post({ type: 'result', ok: true, value });
  } catch (error) {
    post({ type: 'result', ok: false, error: error instanceof Error ? error.message : String(error) });
  }
  // let the answer flush, then leave (tfjs keeps handles open)
  setTimeout(() => process.exit(0), 50);
}

if (port) port.on('message', (e) => void handle(e.data as WorkerCommand));
else process.on('message', (m) => void handle(m as WorkerCommand));
