/** Messages between the eval job manager and a study's worker process. */
import type { EvalProgressEvent } from '../../shared/api/eval';

export type StudyWorkerCommand = { type: 'cancel' };
export type StudyWorkerMessage = { type: 'progress'; event: EvalProgressEvent };
