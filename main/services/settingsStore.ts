import Conf from 'conf';
import { defaultSettings, settingsSchema, type Settings } from '../../shared/api';

/**
 * One interface over electron-store (in Electron) and conf (in plain Node):
 * both keep a JSON file; electron-store is conf with Electron's paths.
 */
export interface SettingsStore {
  get(): Settings;
  set(patch: Partial<Settings>): Settings;
}

interface KeyValueStore {
  store: Record<string, unknown>;
  set(values: Record<string, unknown>): void;
}

/** Wraps any conf-like store; values read back are re-validated, bad ones fall back to defaults. */
export function settingsStoreOver(backing: KeyValueStore): SettingsStore {
  const read = (): Settings => {
    const parsed = settingsSchema.safeParse({ ...defaultSettings, ...backing.store });
    return parsed.success ? parsed.data : { ...defaultSettings };
  };
  return {
    get: read,
    set(patch) {
      const next = settingsSchema.parse({ ...read(), ...patch });
      backing.set(next);
      return next;
    },
  };
}

export function createNodeSettingsStore(dir: string): SettingsStore {
  const conf = new Conf<Record<string, unknown>>({ cwd: dir, configName: 'settings', projectName: 'umedpt-studio' });
  return settingsStoreOver(conf);
}

export function createMemorySettingsStore(initial: Partial<Settings> = {}): SettingsStore {
  let store: Record<string, unknown> = { ...initial };
  return settingsStoreOver({
    get store() {
      return store;
    },
    set(values) {
      store = { ...store, ...values };
    },
  });
}
