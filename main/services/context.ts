import { mkdirSync } from 'node:fs';
import { EventBus } from './eventBus';
import type { SettingsStore } from './settingsStore';
import { resolveDataDir } from './dataDir';

/** Everything a service needs from its host, whatever the transport. */
export interface ServiceContext {
  readonly transport: 'electron' | 'server' | 'cli';
  readonly appVersion: string;
  readonly settings: SettingsStore;
  readonly events: EventBus;
  readonly dataDir: string;
  /** Resources shared by services (catalog, job manager) closed on shutdown. */
  readonly disposers: Array<() => void | Promise<void>>;
}

export function createServiceContext(options: {
  transport: ServiceContext['transport'];
  appVersion: string;
  settings: SettingsStore;
  env?: NodeJS.ProcessEnv;
}): ServiceContext {
  const dataDir = resolveDataDir(options.settings.get().dataDir, options.env);
  mkdirSync(dataDir, { recursive: true });
  return {
    transport: options.transport,
    appVersion: options.appVersion,
    settings: options.settings,
    events: new EventBus(),
    dataDir,
    disposers: [],
  };
}
