import type { ApiAction, ApiErrorPayload, ApiEventName, ApiEvents, ApiRequest, ApiResponse } from '../../../shared/api';
import { bridgeGlobalName, type UmedptBridge } from '../../../shared/bridge';
import { createBrowserBridge, takeToken } from './browserBridge';

export class ApiCallError extends Error {
  constructor(readonly payload: ApiErrorPayload) {
    super(payload.message);
    this.name = 'ApiCallError';
  }
}

/** One typed client over whichever transport this window has. */
export interface ApiClient {
  readonly transport: 'electron' | 'browser';
  call<K extends ApiAction>(action: K, payload: ApiRequest<K>): Promise<ApiResponse<K>>;
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
  mediaUrl(path: string): string;
  onConnection(listener: (up: boolean) => void): () => void;
}

export function createApiClient(): ApiClient {
  const preload = (window as unknown as Record<string, UmedptBridge | undefined>)[bridgeGlobalName];
  const browser = preload ? null : createBrowserBridge(takeToken());
  const bridge: UmedptBridge = preload ?? browser!;
  return {
    transport: preload ? 'electron' : 'browser',
    async call(action, payload) {
      const result = await bridge.call(action, payload);
      if (!result.ok) throw new ApiCallError(result.error);
      return result.value as never;
    },
    on(event, listener) {
      return bridge.onEvent((message) => {
        if (message.event === event) listener(message.payload as never);
      });
    },
    mediaUrl: (path) => bridge.mediaUrl(path),
    onConnection: (listener) => (browser ? browser.onConnection(listener) : () => undefined),
  };
}
