/**
 * Preload of the main window. Runs sandboxed (bundled to one CJS file by
 * scripts/buildElectron.js; the only module it requires is electron).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { exposePreloadBridge } from './preloadBridge';

exposePreloadBridge(contextBridge, ipcRenderer);
