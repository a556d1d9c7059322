/**
 * Typed event streams pushed from main to every connected client.
 * Each domain adds its event payloads here.
 */
export interface LogLine {
  level: 'info' | 'warn' | 'error';
  source: string;
  message: string;
  time: string;
}

export interface ApiEvents {
  'system/log': LogLine;
}

export type ApiEventName = keyof ApiEvents;
export interface ApiEventMessage<K extends ApiEventName = ApiEventName> {
  event: K;
  payload: ApiEvents[K];
}
