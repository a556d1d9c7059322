/**
 * What the preload exposes: ONE object, `window.umedpt`, with four
 * purpose-built functions. Page code never sees ipcRenderer, an IPC event
 * (whose `sender` is ipcRenderer) or a channel name: it can call the API,
 * listen to API events, build media URLs and ask main to save a file it
 * made (main shows the save dialog), nothing else.
 * Bundled into the sandboxed preload: imports nothing from Node.
 */
import type { ApiEventMessage } from '../../shared/api/events';
import { bridgeGlobalName, type BridgeResult, type SaveFileRequest, type SaveFileResult, type UmedptBridge } from '../../shared/bridge';
import { mediaUrlFor } from './appOrigin';
import type { ContextBridgeLike, IpcRendererEventLike, IpcRendererLike } from './electronApi';
import { apiCallChannel, apiEventChannel, saveFileChannel } from './ipcChannels';

export function createPreloadBridge(ipcRenderer: IpcRendererLike): UmedptBridge {
  return {
    call(action: string, payload: unknown): Promise<BridgeResult> {
      if (typeof action !== 'string') return Promise.resolve({ ok: false, error: { code: 'invalid_request', message: 'action must be a string' } });
      return ipcRenderer.invoke(apiCallChannel, action, payload) as Promise<BridgeResult>;
    },
    onEvent(listener: (message: ApiEventMessage) => void): () => void {
      if (typeof listener !== 'function') throw new TypeError('onEvent(listener): listener must be a function');
      // Only the message goes to the page; the IPC event stays here.
      const relay = (_event: IpcRendererEventLike, message: unknown) => listener(message as ApiEventMessage);
      ipcRenderer.on(apiEventChannel, relay);
      return () => {
        ipcRenderer.removeListener(apiEventChannel, relay);
      };
    },
    mediaUrl(path: string): string {
      return mediaUrlFor(path);
    },
    saveFile(request: SaveFileRequest): Promise<SaveFileResult> {
      // main validates the request; only the request crosses, nothing comes back but the result
      return ipcRenderer.invoke(saveFileChannel, request) as Promise<SaveFileResult>;
    },
  };
}

/** The whole preload: one exposeInMainWorld call. */
export function exposePreloadBridge(contextBridge: ContextBridgeLike, ipcRenderer: IpcRendererLike): void {
  contextBridge.exposeInMainWorld(bridgeGlobalName, createPreloadBridge(ipcRenderer));
}
