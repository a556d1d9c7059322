import type { ApiEventMessage, ApiErrorPayload } from './api';
import type { SaveFileRequest, SaveFileResult } from './saveFile';

export type { SaveFileRequest, SaveFileResult };

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
  /**
   * Electron only: asks where to save a file the page made (a save dialog in
   * main) and writes it there. The browser transport has none: the page
   * downloads instead (renderer/src/lib/download.ts decides).
   */
  saveFile?(request: SaveFileRequest): Promise<SaveFileResult>;
}

export const bridgeGlobalName = 'umedpt';
