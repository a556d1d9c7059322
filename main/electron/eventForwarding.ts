import type { EventBus } from '../services/eventBus';
import type { WebContentsLike } from './electronApi';
import { apiEventChannel } from './ipcChannels';

/**
 * Pushes every service event to one window on one channel; the preload hands
 * the message (never the IPC event object) to page listeners.
 * Returns the unsubscribe function (call it when the window closes).
 */
export function forwardEvents(events: EventBus, target: Pick<WebContentsLike, 'send' | 'isDestroyed'>): () => void {
  return events.subscribe((message) => {
    if (!target.isDestroyed()) target.send(apiEventChannel, message);
  });
}
