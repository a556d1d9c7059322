/**
 * Typed event streams pushed from main to every connected client.
 * Each domain adds its event payloads here.
 */
import type { RunEvent, RunSummary } from './runs';
import type { ImportFinishedEvent, ImportProgressEvent } from './import';
import type { EvalProgressEvent } from './eval';

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  source: string;
  message: string;
  time: string;
}

export interface ApiEvents {
  'system/log': LogLine;
  /** progress, metrics, logs and state changes of training runs */
  'runs/event': RunEvent;
  /** a run's summary changed (state, progress, final metrics) */
  'runs/updated': RunSummary;
  /** an import job's progress: done/total, current file, rate */
  'import/progress': ImportProgressEvent;
  /** an import job ended (completed, cancelled or failed) */
  'import/finished': ImportFinishedEvent;
  /** a label-efficiency study's state, progress and each finished results row */
  'eval/progress': EvalProgressEvent;
  /** the task list changed (another window or the CLI saved or deleted one) */
  'tasks/changed': { taskId: string };
}

export type ApiEventName = keyof ApiEvents;
export interface ApiEventMessage<K extends ApiEventName = ApiEventName> {
  event: K;
  payload: ApiEvents[K];
}
