import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerAppScheme, runElectronApp, type ElectronMainModules } from '../../../main/electron/electronApp';
import { apiCallChannel, apiEventChannel } from '../../../main/electron/ipcChannels';
import { createMemorySettingsStore } from '../../../main/services/settingsStore';
import { defaultProcessLauncher, setDefaultProcessLauncher } from '../../../main/workers/processLauncher';
import { FakeApp, FakeBrowserWindow, FakeDialog, FakeIpcMain, FakeProtocol, FakeSession, FakeUtilityProcess, FakeWebContents, preventable } from './fakeElectron';

function fakeElectron() {
  const appPath = mkdtempSync(path.join(os.tmpdir(), 'umedpt-app-'));
  mkdirSync(path.join(appPath, 'dist', 'renderer'), { recursive: true });
  writeFileSync(path.join(appPath, 'dist', 'renderer', 'index.html'), '<!doctype html><title>UMedPT Studio</title>');
  const opened: string[] = [];
  const modules = {
    app: new FakeApp(appPath),
    BrowserWindow: FakeBrowserWindow,
    ipcMain: new FakeIpcMain(),
    protocol: new FakeProtocol(),
    session: { defaultSession: new FakeSession() },
    shell: { openExternal: async (url: string) => void opened.push(url) },
    dialog: new FakeDialog(),
    utilityProcess: new FakeUtilityProcess(),
  } satisfies ElectronMainModules;
  return { modules, appPath, opened, env: { UMEDPT_HOME: path.join(appPath, 'home') } };
}

describe('runElectronApp (wiring with a fake electron)', () => {
  beforeEach(() => {
    FakeBrowserWindow.created = [];
  });
  afterEach(() => setDefaultProcessLauncher(null));

  it('makes utility processes the default way to start training and tool workers', async () => {
    const { modules, env } = fakeElectron();
    await runElectronApp(modules, { appVersion: '1', createSettings: () => createMemorySettingsStore(), env });
    const run = defaultProcessLauncher().launch({ entry: 'training', args: ['/runs/r1', '/data', 'start'] });
    expect(modules.utilityProcess.children).toHaveLength(1);
    expect(modules.utilityProcess.children[0]!.args).toEqual(['/runs/r1', '/data', 'start']);
    expect(run.pid).toBe(4242);
  });

  it('registers umedpt: as a standard, secure scheme before ready', () => {
    const protocol = new FakeProtocol();
    registerAppScheme(protocol);
    expect(protocol.privileged).toEqual([{ scheme: 'umedpt', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);
  });

  it('serves the renderer, answers the API from the app page only, opens the locked window, forwards events', async () => {
    const { modules, appPath, env } = fakeElectron();
    const running = await runElectronApp(modules, { appVersion: '1.2.3', createSettings: () => createMemorySettingsStore(), env });
    await running.loaded;
    expect(running.ctx.transport).toBe('electron');
    expect(running.ctx.dataDir).toBe(env.UMEDPT_HOME);

    const page = await modules.protocol.fetch('umedpt://app/index.html');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('UMedPT Studio');
    expect((await modules.protocol.fetch('umedpt://app/media/nothing/1')).status).toBe(404);

    const info = (await modules.ipcMain.invoke(apiCallChannel, 'umedpt://app/index.html', 'system/info', {})) as { ok: boolean; value: { appVersion: string; transport: string } };
    expect(info).toMatchObject({ ok: true, value: { appVersion: '1.2.3', transport: 'electron' } });
    await expect(modules.ipcMain.invoke(apiCallChannel, 'https://evil.example/', 'system/info', {})).rejects.toThrow(/refused/);

    const window = FakeBrowserWindow.created[0]!;
    expect(FakeBrowserWindow.created).toHaveLength(1);
    expect(window.loadedUrls).toEqual(['umedpt://app/index.html']);
    expect(window.options.webPreferences.preload).toBe(path.join(appPath, 'dist', 'electron', 'preload.cjs'));
    expect(window.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });

    // the refused call above was logged as an event and reached the window
    const logged = window.webContents.sent.filter((s) => s.channel === apiEventChannel).map((s) => JSON.stringify(s.args[0]));
    expect(logged.some((line) => line.includes('IPC sender'))).toBe(true);
  });

  it('denies every permission request and check', async () => {
    const { modules, env } = fakeElectron();
    await runElectronApp(modules, { appVersion: '1', createSettings: () => createMemorySettingsStore(), env });
    const answers: boolean[] = [];
    modules.session.defaultSession.requestHandler!(null, 'media', (granted) => answers.push(granted));
    modules.session.defaultSession.requestHandler!(null, 'notifications', (granted) => answers.push(granted));
    expect(answers).toEqual([false, false]);
    expect(modules.session.defaultSession.checkHandler!(null, 'clipboard-read')).toBe(false);
  });

  it('guards every web contents created later, not only the main window', async () => {
    const { modules, env, opened } = fakeElectron();
    await runElectronApp(modules, { appVersion: '1', createSettings: () => createMemorySettingsStore(), env });
    const other = new FakeWebContents();
    modules.app.emit('web-contents-created', {}, other);
    const nav = preventable();
    other.emit('will-navigate', nav, 'https://evil.example/');
    expect(nav.prevented).toBe(true);
    expect(other.windowOpenHandler!({ url: 'https://doi.org/10.1038/paper' })).toEqual({ action: 'deny' });
    expect(other.windowOpenHandler!({ url: 'https://example.org/paper' })).toEqual({ action: 'deny' });
    // only allow-listed sites reach the system browser
    expect(opened).toEqual(['https://doi.org/10.1038/paper']);
  });

  it('holds the quit until the services are closed, then quits', async () => {
    const { modules, env } = fakeElectron();
    const running = await runElectronApp(modules, { appVersion: '1', createSettings: () => createMemorySettingsStore(), env });
    let disposed = 0;
    running.ctx.disposers.push(async () => {
      await new Promise((r) => setTimeout(r, 10));
      disposed++;
    });
    const quit = preventable();
    modules.app.emit('before-quit', quit);
    expect(quit.prevented).toBe(true);
    expect(modules.app.quitCalls).toBe(0);
    await vi.waitFor(() => expect(modules.app.quitCalls).toBe(1), { timeout: 10_000 });
    expect(disposed).toBe(1);
    const second = preventable();
    modules.app.emit('before-quit', second);
    expect(second.prevented).toBe(false);
    modules.app.emit('window-all-closed');
    expect(modules.app.quitCalls).toBe(2);
  });
});
