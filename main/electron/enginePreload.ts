/**
 * Preload of the hidden engine window (bundled to dist/electron/enginePreload.cjs;
 * the only module it requires is electron): relays the training process's port to the page.
 */
import { ipcRenderer } from 'electron';
import { relayEnginePort, type PageWindowLike } from './enginePreloadRelay';

// the page's window (main/ has no DOM types)
relayEnginePort(ipcRenderer, globalThis as unknown as PageWindowLike);
