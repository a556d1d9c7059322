/** Messages between the eval job manager and a study's worker process. */
import type { EvalProgressEvent } from '../../shared/api/eval';

export type EvalWorkerCommand = { type: 'cancel' };
export type EvalWorkerMessage = { type: 'progress'; event: EvalProgressEvent };
