import type { ApiEventMessage, ApiEventName, ApiEvents } from '../../shared/api';

export type EventListener = (message: ApiEventMessage) => void;

/** Fan-out of typed events from services to every transport. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  emit<K extends ApiEventName>(event: K, payload: ApiEvents[K]): void {
    const message = { event, payload } as ApiEventMessage;
    for (const listener of this.listeners) {
      try {
        listener(message);
      } catch {
        // A broken transport must not stop events reaching the others.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
