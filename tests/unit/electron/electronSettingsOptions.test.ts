import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import Conf from 'conf';
import { describe, expect, it } from 'vitest';
import { electronSettingsOptions } from '../../../main/electron/electronSettingsOptions';
import { osUserDataDir } from '../../../main/services/dataDir';

describe('electronSettingsOptions', () => {
  it('points electron-store at the same settings.json the CLI and server use through conf', () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'umedpt-settings-'));
    const options = electronSettingsOptions({ UMEDPT_HOME: home });
    expect(options).toEqual({ name: 'settings', cwd: home });
    // conf, as createNodeSettingsStore configures it, writes <dir>/settings.json
    const conf = new Conf({ cwd: home, configName: 'settings', projectName: 'umedpt-studio' });
    expect(path.join(options.cwd, `${options.name}.json`)).toBe(conf.path);
  });

  it('uses the OS user-data folder without UMEDPT_HOME', () => {
    expect(electronSettingsOptions({})).toEqual({ name: 'settings', cwd: osUserDataDir() });
  });
});
