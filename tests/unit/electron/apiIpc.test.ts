import { describe, expect, it, vi } from 'vitest';
import { api } from '../../../shared/api';
import { registerApiIpc, senderRefusal } from '../../../main/electron/apiIpc';
import { apiCallChannel } from '../../../main/electron/ipcChannels';
import { describeZodIssues } from '../../../main/services/dispatch';
import { FakeIpcMain } from './fakeElectron';
import { realServices } from './testServices';

const appPage = 'umedpt://app/index.html';

function setup() {
  const services = realServices();
  const ipcMain = new FakeIpcMain();
  const refused: string[] = [];
  const unregister = registerApiIpc(ipcMain, services.handlers, { onRefused: (r) => refused.push(r) });
  return { ...services, ipcMain, refused, unregister };
}

describe('registerApiIpc', () => {
  it('registers exactly one channel and removes it again', () => {
    const { ipcMain, unregister } = setup();
    expect([...ipcMain.handlers.keys()]).toEqual([apiCallChannel]);
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('a valid call from the app page reaches the service and changes its state', async () => {
    const { ipcMain, calls, ctx } = setup();
    const result = await ipcMain.invoke(apiCallChannel, appPage, 'settings/set', { theme: 'dark' });
    expect(result).toMatchObject({ ok: true, value: { theme: 'dark' } });
    expect(calls).toEqual(['settings/set']);
    expect(ctx.settings.get().theme).toBe('dark');
    const info = (await ipcMain.invoke(apiCallChannel, 'umedpt://app/datasets/3', 'system/info', {})) as { ok: true; value: { transport: string; appVersion: string } };
    expect(info.ok).toBe(true);
    expect(info.value.transport).toBe('electron');
    expect(info.value.appVersion).toBe('9.9.9');
  });

  it('an invalid payload is rejected with the schema message and never reaches the service', async () => {
    const { ipcMain, calls, ctx } = setup();
    const payload = { theme: 'purple' };
    const result = (await ipcMain.invoke(apiCallChannel, appPage, 'settings/set', payload)) as { ok: false; error: { code: string; message: string } };
    const parsed = api['settings/set'].request.safeParse(payload);
    expect(parsed.success).toBe(false);
    const schemaMessage = describeZodIssues(parsed.error!.issues);
    expect(schemaMessage).toContain('theme');
    expect(result).toEqual({ ok: false, error: { code: 'invalid_request', message: `settings/set: ${schemaMessage}` } });
    expect(calls).toEqual([]);
    expect(ctx.settings.get().theme).toBe('system');
  });

  it('unknown keys (strict schemas) and a non-string action are refused as values', async () => {
    const { ipcMain, calls } = setup();
    const extra = (await ipcMain.invoke(apiCallChannel, appPage, 'settings/get', { sneaky: 1 })) as { ok: boolean; error: { code: string; message: string } };
    expect(extra.ok).toBe(false);
    expect(extra.error.code).toBe('invalid_request');
    expect(extra.error.message).toMatch(/sneaky/);
    expect(await ipcMain.invoke(apiCallChannel, appPage, 42, {})).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await ipcMain.invoke(apiCallChannel, appPage, 'system/nope', {})).toMatchObject({ ok: false, error: { code: 'unknown_action' } });
    expect(calls).toEqual([]);
  });

  it.each([
    ['a web page', 'https://evil.example/index.html'],
    ['a local file', 'file:///tmp/index.html'],
    ['another host of our scheme', 'umedpt://media/preview/1'],
    ['an opaque origin (no host)', 'umedpt:app/index.html'],
    ['a look-alike host', 'umedpt://app.evil/index.html'],
    ['credentials in the URL', 'umedpt://user@app/index.html'],
    ['a port', 'umedpt://app:8080/index.html'],
    ['an http origin called app', 'http://app/index.html'],
    ['about:blank', 'about:blank'],
    ['an empty URL', ''],
  ])('a sender from %s is refused before validation and dispatch', async (_what, url) => {
    const { ipcMain, calls, refused, ctx } = setup();
    await expect(ipcMain.invoke(apiCallChannel, url, 'settings/set', { theme: 'dark' })).rejects.toThrow(/IPC call refused/);
    expect(calls).toEqual([]);
    expect(refused).toHaveLength(1);
    expect(ctx.settings.get().theme).toBe('system');
  });

  it('a sender whose frame is gone is refused', async () => {
    const { ipcMain, calls } = setup();
    await expect(ipcMain.invoke(apiCallChannel, null, 'system/info', {})).rejects.toThrow(/frame is gone/);
    expect(calls).toEqual([]);
  });

  it('senderRefusal quotes at most 200 characters of a hostile URL', () => {
    const reason = senderRefusal({ senderFrame: { url: `https://x.example/${'a'.repeat(5000)}` } });
    expect(reason).not.toBeNull();
    expect(reason!.length).toBeLessThan(260);
    expect(senderRefusal({ senderFrame: { url: appPage } })).toBeNull();
  });

  it('a failing service comes back as an error value, not a crash', async () => {
    const ipcMain = new FakeIpcMain();
    const { handlers } = realServices();
    const broken = { ...handlers, 'system/info': vi.fn(() => Promise.reject(new Error('disk on fire'))) };
    registerApiIpc(ipcMain, broken);
    expect(await ipcMain.invoke(apiCallChannel, appPage, 'system/info', {})).toEqual({ ok: false, error: { code: 'internal', message: 'disk on fire' } });
  });
});
