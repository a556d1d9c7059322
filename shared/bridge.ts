import type { ApiEventMessage, ApiErrorPayload } from './api';

/** Result of one API call as it crosses a transport. */
export type BridgeResult = { ok: true; value: unknown } | { ok: false; error: ApiErrorPayload };

/**
 * The one object the Electron preload exposes to the renderer as
 * `window.umedpt` (purpose-built functions only, never ipcRenderer).
 * The browser transport offers the same shape over a WebSocket.
 */
export interface UmedptBridge {
  call(action: string, payload: unknown): Promise<BridgeResult>;
  onEvent(listener: (message: ApiEventMessage) => void): () => void;
  /** URL of a media resource (previews, masks) served by main: "preview/<imageId>?maxSide=256" */
  mediaUrl(path: string): string;
}

export const bridgeGlobalName = 'umedpt';
