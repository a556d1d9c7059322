/** Messages between the job manager and a training worker process. */
import type { RunEvent } from '../../shared/api/runs';
import type { ExportRunOptions } from './exportRun';
import type { PredictionsRequest } from './runPredictions';

/** Work done in a short-lived tool process, so tfjs never blocks the app's main thread. */
export type ToolRequest =
  | { op: 'export'; options: ExportRunOptions }
  | { op: 'predictions'; request: PredictionsRequest };

/**
 * manager -> worker. pause: checkpoint, then exit as paused; cancel: exit as
 * cancelled. tool: the one request of a tool process.
 */
export type WorkerCommand = { type: 'pause' } | { type: 'cancel' } | { type: 'tool'; request: ToolRequest };

/** worker -> manager: every event it appended to metrics.jsonl, in order; a tool process's answer. */
export type WorkerMessage = { type: 'event'; event: RunEvent } | { type: 'result'; ok: true; value: unknown } | { type: 'result'; ok: false; error: string };

/** How a worker ends: the state it leaves the run in. */
export type WorkerOutcome = 'completed' | 'paused' | 'cancelled' | 'failed';

/** argv of the worker: the run folder and whether to continue from its latest checkpoint */
export interface WorkerArgs {
  runFolder: string;
  dataDir: string;
  resume: boolean;
}

export function encodeWorkerArgs(args: WorkerArgs): string[] {
  return [args.runFolder, args.dataDir, args.resume ? 'resume' : 'start'];
}

export function decodeWorkerArgs(argv: string[]): WorkerArgs {
  const [runFolder, dataDir, mode] = argv;
  if (!runFolder || !dataDir || (mode !== 'resume' && mode !== 'start')) {
    throw new Error(`training worker: expected <runFolder> <dataDir> start|resume, got ${JSON.stringify(argv)}`);
  }
  return { runFolder, dataDir, resume: mode === 'resume' };
}
