import { beforeEach, describe, expect, it } from 'vitest';
import { openMainWindow } from '../../../main/electron/mainWindow';
import { apiEventChannel } from '../../../main/electron/ipcChannels';
import { lockDownWebContents } from '../../../main/electron/navigationGuards';
import { mainWindowOptions } from '../../../main/electron/windowOptions';
import { EventBus } from '../../../main/services/eventBus';
import { FakeBrowserWindow, FakeWebContents, preventable } from './fakeElectron';

describe('main window options', () => {
  it('isolate the renderer: contextIsolation and sandbox on, no Node anywhere, web security on', () => {
    const prefs = mainWindowOptions({ preloadPath: '/app/dist/electron/preload.cjs' }).webPreferences;
    expect(prefs).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
  });
});

describe('navigation guards', () => {
  it.each(['will-navigate', 'will-redirect', 'will-frame-navigate'])('%s is prevented for every URL, our own included', (event) => {
    const contents = new FakeWebContents();
    const blocked: string[] = [];
    lockDownWebContents(contents, { onBlocked: (what, url) => blocked.push(`${what} ${url}`) });
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'umedpt://app/other.html']) {
      const e = preventable();
      contents.emit(event, e, url);
      expect(e.prevented).toBe(true);
    }
    expect(blocked).toHaveLength(3);
  });

  it('new windows are denied; only https links go to the system browser', () => {
    const contents = new FakeWebContents();
    const opened: string[] = [];
    lockDownWebContents(contents, { openExternal: (url) => opened.push(url) });
    expect(contents.windowOpenHandler).not.toBeNull();
    for (const url of ['https://doi.org/10.1038/s41746-024-01220-1', 'https://evil.example/', 'https://doi.org.evil.example/', 'https://user@doi.org/', 'http://plain.example/', 'file:///etc/passwd', 'umedpt://app/index.html', 'javascript:alert(1)']) {
      expect(contents.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual(['https://doi.org/10.1038/s41746-024-01220-1']);
  });

  it('without openExternal no link leaves the app at all', () => {
    const contents = new FakeWebContents();
    lockDownWebContents(contents);
    expect(contents.windowOpenHandler!({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
  });

  it('<webview> attachment is prevented', () => {
    const contents = new FakeWebContents();
    lockDownWebContents(contents);
    const e = preventable();
    contents.emit('will-attach-webview', e);
    expect(e.prevented).toBe(true);
  });
});

describe('openMainWindow', () => {
  beforeEach(() => {
    FakeBrowserWindow.created = [];
  });

  it('loads the app protocol (not file://) with the locked-down options and guards', async () => {
    const events = new EventBus();
    const { window, loaded } = openMainWindow(FakeBrowserWindow, { preloadPath: '/p/preload.cjs', events });
    await loaded;
    const fake = FakeBrowserWindow.created[0]!;
    expect(fake).toBe(window);
    expect(fake.loadedUrls).toEqual(['umedpt://app/index.html']);
    expect(fake.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, preload: '/p/preload.cjs' });
    const nav = preventable();
    fake.webContents.emit('will-navigate', nav, 'https://evil.example/');
    expect(nav.prevented).toBe(true);
    expect(fake.webContents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(fake.shown).toBe(false);
    fake.emit('ready-to-show');
    expect(fake.shown).toBe(true);
  });

  it('forwards service events on one channel until the window closes', () => {
    const events = new EventBus();
    openMainWindow(FakeBrowserWindow, { preloadPath: '/p/preload.cjs', events });
    const fake = FakeBrowserWindow.created[0]!;
    const line = { level: 'info' as const, source: 'test', message: 'hello', time: '2026-01-01T00:00:00.000Z' };
    events.emit('system/log', line);
    expect(fake.webContents.sent).toEqual([{ channel: apiEventChannel, args: [{ event: 'system/log', payload: line }] }]);
    fake.webContents.destroyed = true;
    events.emit('system/log', line);
    expect(fake.webContents.sent).toHaveLength(1);
    fake.webContents.destroyed = false;
    fake.emit('closed');
    events.emit('system/log', line);
    expect(fake.webContents.sent).toHaveLength(1);
  });
});
