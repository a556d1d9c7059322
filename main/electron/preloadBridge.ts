/**
 * What the preload exposes: ONE object, `window.umedpt`, with three
 * purpose-built functions. Page code never sees ipcRenderer, an IPC event
 * (whose `sender` is ipcRenderer) or a channel name: it can call the API,
 * listen to API events and build media URLs, nothing else.
 * Bundled into the sandboxed preload: imports nothing from Node.
 */
import type { ApiEventMessage } from '../../shared/api/events';
import { bridgeGlobalName, type BridgeResult, type UmedptBridge } from '../../shared/bridge';
import { mediaUrlFor } from './appOrigin';
import type { ContextBridgeLike, IpcRendererEventLike, IpcRendererLike } from './electronApi';
import { apiCallChannel, apiEventChannel } from './ipcChannels';

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
  };
}

/** The whole preload: one exposeInMainWorld call. */
export function exposePreloadBridge(contextBridge: ContextBridgeLike, ipcRenderer: IpcRendererLike): void {
  contextBridge.exposeInMainWorld(bridgeGlobalName, createPreloadBridge(ipcRenderer));
}
