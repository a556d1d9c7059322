import ElectronStore from 'electron-store';
import { settingsStoreOver, type SettingsStore } from '../services/settingsStore';
import type { IpcMainLike } from './electronApi';
import { electronSettingsOptions } from './electronSettingsOptions';

/** Sync channel on which electron-store answers stores created in a renderer. */
export const electronStoreChannel = 'electron-store-get-data';

/**
 * Settings in Electron: electron-store (conf with Electron's paths), validated
 * by settingsStoreOver. electron-store also opens a sync IPC channel for
 * renderer-side stores; our renderer has none (and no ipcRenderer), so that
 * channel is closed to keep the API channel the only way in.
 */
export function createElectronSettingsStore(options: { ipcMain?: Pick<IpcMainLike, 'removeAllListeners'>; env?: NodeJS.ProcessEnv } = {}): SettingsStore {
  const store = new ElectronStore<Record<string, unknown>>(electronSettingsOptions(options.env));
  options.ipcMain?.removeAllListeners(electronStoreChannel);
  return settingsStoreOver(store);
}
