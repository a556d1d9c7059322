import type { ApiAction } from '../../shared/api';
import { dispatch, type DispatchResult } from '../services/dispatch';
import type { Handlers } from '../services/handlers';
import { appOrigin, isAppPageUrl } from './appOrigin';
import type { IpcMainInvokeEventLike, IpcMainLike } from './electronApi';
import { apiCallChannel } from './ipcChannels';

export interface ApiIpcOptions {
  /** told about every refused sender (logging); the call itself is rejected */
  onRefused?: (reason: string) => void;
}

/** Longest sender URL quoted back in a refusal: a page can make its URL huge. */
const maxQuotedUrl = 200;

/** Why an IPC sender is refused, or null when it is a page of our own renderer. */
export function senderRefusal(event: IpcMainInvokeEventLike): string | null {
  const url = event.senderFrame?.url;
  if (url === undefined) return 'the sending frame is gone';
  if (isAppPageUrl(url)) return null;
  return `sender ${JSON.stringify(url.slice(0, maxQuotedUrl))} is not ${appOrigin}`;
}

/**
 * One handler for the whole API on one channel. Every call: the sender frame
 * must be a page of umedpt://app (an injected frame or a page we navigated
 * away to cannot call in), then dispatch validates the payload with the
 * action's zod schema before a service sees it; failures come back as values.
 */
export function createApiCallListener(handlers: Handlers<ApiAction>, options: ApiIpcOptions = {}) {
  return async (event: IpcMainInvokeEventLike, action: unknown, payload: unknown): Promise<DispatchResult> => {
    const refusal = senderRefusal(event);
    if (refusal) {
      options.onRefused?.(refusal);
      // Thrown, not returned: a foreign frame gets a rejected promise and nothing else.
      throw new Error(`IPC call refused: ${refusal}`);
    }
    if (typeof action !== 'string') return { ok: false, error: { code: 'invalid_request', message: `action must be a string, got ${typeof action}` } };
    return dispatch(handlers, action, payload);
  };
}

/** Registers the API on ipcMain; returns the function that removes it. */
export function registerApiIpc(ipcMain: IpcMainLike, handlers: Handlers<ApiAction>, options: ApiIpcOptions = {}): () => void {
  const listener = createApiCallListener(handlers, options);
  ipcMain.handle(apiCallChannel, (event, ...args) => listener(event, args[0], args[1]));
  return () => ipcMain.removeHandler(apiCallChannel);
}
