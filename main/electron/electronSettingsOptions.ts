import { settingsDir } from '../services/dataDir';

export interface ElectronSettingsOptions {
  /** file name without .json */
  name: string;
  cwd: string;
}

/**
 * electron-store options that point at the very file the CLI and the server
 * use through conf (<settingsDir>/settings.json): the OS user-data folder,
 * or UMEDPT_HOME when that isolates a workspace. Set explicitly rather than
 * left to app.getPath('userData') so the transports cannot drift apart.
 */
export function electronSettingsOptions(env: NodeJS.ProcessEnv = process.env): ElectronSettingsOptions {
  return { name: 'settings', cwd: settingsDir(env) };
}
