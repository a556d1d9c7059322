/**
 * Typed event streams pushed from main to every connected client.
 * Each domain adds its event payloads here.
 */
import type { RunEvent, RunSummary } from './runs';

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
}

export type ApiEventName = keyof ApiEvents;
export interface ApiEventMessage<K extends ApiEventName = ApiEventName> {
  event: K;
  payload: ApiEvents[K];
}
