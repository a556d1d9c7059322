import ElectronStore from 'electron-store';
import { settingsStoreOver, type SettingsStore } from '../services/settingsStore';
import { electronSettingsOptions } from './electronSettingsOptions';

/** Settings in Electron: electron-store (conf with Electron's paths), validated by settingsStoreOver. */
export function createElectronSettingsStore(env: NodeJS.ProcessEnv = process.env): SettingsStore {
  return settingsStoreOver(new ElectronStore<Record<string, unknown>>(electronSettingsOptions(env)));
}
