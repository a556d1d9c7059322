import os from 'node:os';
import path from 'node:path';

export const appName = 'UMedPT Studio';

/** The OS user-data location, as Electron's app.getPath('userData') would give it. */
export function osUserDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), appName);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', appName);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), appName);
}

/** Where settings live: UMEDPT_HOME isolates a whole workspace (tests, demos, servers). */
export function settingsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.UMEDPT_HOME ? path.resolve(env.UMEDPT_HOME) : osUserDataDir();
}

/** Where the catalog, file store and runs live. UMEDPT_HOME wins over the setting. */
export function resolveDataDir(settingDataDir: string | null, env: NodeJS.ProcessEnv = process.env): string {
  if (env.UMEDPT_HOME) return path.resolve(env.UMEDPT_HOME);
  if (settingDataDir) return path.resolve(settingDataDir);
  return osUserDataDir();
}
