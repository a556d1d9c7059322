/**
 * Entry of a one-shot tool process: export or predictions of a run's model.
 * It takes one 'tool' command, answers with one 'result' and exits.
 */
import type { WorkerCommand, WorkerMessage } from './workerProtocol';
import { exportRun } from './exportRun';
import { runPredictions } from './runPredictions';
import { exitSoon, parentChannel } from '../workers/parentChannel';

const channel = parentChannel<WorkerCommand, WorkerMessage>();

async function handle(command: WorkerCommand): Promise<void> {
  if (command.type !== 'tool') return;
  try {
    const { request } = command;
    const value = request.op === 'export' ? await exportRun(request.options) : await runPredictions(request.request);
    await channel.post({ type: 'result', ok: true, value });
  } catch (error) {
    await channel.post({ type: 'result', ok: false, error: error instanceof Error ? error.message : String(error) });
  }
  exitSoon(0);
}

channel.listen((command) => void handle(command));
