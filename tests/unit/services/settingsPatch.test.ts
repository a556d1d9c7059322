/**
 * settings/set through the dispatcher: a patch changes only what it names
 * (changing the data folder used to reset the theme), and a relative data
 * folder is refused with the field named instead of "Saved.".
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeServices, createServiceContext, createServices, dispatch } from '../../../main/services';
import { createMemorySettingsStore } from '../../../main/services/settingsStore';

describe('settings/set', () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'umedpt-settings-'));
  const ctx = createServiceContext({ transport: 'server', appVersion: '0.1.0', settings: createMemorySettingsStore(), env: { UMEDPT_HOME: home } });
  const services = createServices(ctx);
  afterAll(async () => {
    await closeServices(ctx);
    rmSync(home, { recursive: true, force: true });
  });

  it('changes only the settings a patch names', async () => {
    expect(await dispatch(services, 'settings/set', { theme: 'dark', backend: 'cpu' })).toMatchObject({ ok: true, value: { theme: 'dark', backend: 'cpu' } });
    const folder = path.join(home, 'elsewhere');
    expect(await dispatch(services, 'settings/set', { dataDir: folder })).toEqual({ ok: true, value: { theme: 'dark', backend: 'cpu', dataDir: folder } });
    expect(await dispatch(services, 'settings/set', { dataDir: null })).toEqual({ ok: true, value: { theme: 'dark', backend: 'cpu', dataDir: null } });
  });

  it('refuses a relative data folder, naming the field, and keeps the stored one', async () => {
    const result = await dispatch(services, 'settings/set', { dataDir: 'data/umedpt' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const message = (result as { error: { message: string } }).error.message;
    expect(message).toContain('dataDir');
    expect(message).toContain('the data folder must be an absolute path (e.g. /home/me/umedpt), got "data/umedpt"');
    expect(await dispatch(services, 'settings/get', {})).toMatchObject({ ok: true, value: { dataDir: null, theme: 'dark' } });
  });
});
