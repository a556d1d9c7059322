/**
 * The engine window's preload: it takes the MessagePort main sends on one
 * channel and hands it to the page with a window message to our own origin
 * (contextBridge cannot pass a MessagePort; this is Electron's documented
 * way). It exposes nothing else: no ipcRenderer, no API object.
 * Bundled into the sandboxed preload: imports nothing from Node.
 */
import { engineWindowPortChannel, engineWindowPortMessage } from '../engine/browser/engineWindowChannels';
import { appOrigin } from './appOrigin';
import type { IpcRendererLike } from './electronApi';

export interface PageWindowLike {
  postMessage(message: unknown, targetOrigin: string, transfer?: unknown[]): void;
}

export function relayEnginePort(ipcRenderer: Pick<IpcRendererLike, 'on'>, page: PageWindowLike): void {
  ipcRenderer.on(engineWindowPortChannel, (event) => {
    const port = event.ports?.[0];
    // only the port travels to the page: never the IPC event (its sender is ipcRenderer)
    if (port) page.postMessage(engineWindowPortMessage, appOrigin, [port]);
  });
}
