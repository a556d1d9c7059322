import path from 'node:path';
import { setDefaultProcessLauncher } from '../workers/processLauncher';
import { closeServices, createServiceContext, createServices, type ServiceContext } from '../services';
import { handleMediaRequest } from '../services/media';
import type { SettingsStore } from '../services/settingsStore';
import { registerApiIpc } from './apiIpc';
import { registerSaveFileIpc } from './saveFileIpc';
import { reconcileRunsAtStart } from '../services/reconcileRuns';
import { appScheme, appSchemePrivileges } from './appOrigin';
import { createAppProtocolHandler } from './appProtocolHandler';
import type { AppLike, BrowserWindowConstructorLike, BrowserWindowLike, DialogLike, IpcMainLike, MessageChannelMainConstructorLike, ProtocolLike, SessionLike, ShellLike, UtilityProcessLike } from './electronApi';
import { createEngineWindowHost } from './engineWindowHost';
import { openMainWindow } from './mainWindow';
import { lockDownWebContents, type NavigationGuardOptions } from './navigationGuards';
import { denyAllPermissions } from './sessionHardening';
import { createUtilityProcessLauncher } from './utilityProcessLauncher';

/** The Electron modules the main process uses (the real ones in main.ts, fakes in tests). */
export interface ElectronMainModules {
  app: AppLike;
  BrowserWindow: BrowserWindowConstructorLike;
  ipcMain: IpcMainLike;
  protocol: ProtocolLike;
  session: { readonly defaultSession: SessionLike };
  shell: ShellLike;
  dialog: DialogLike;
  utilityProcess: UtilityProcessLike;
  /** for the engine windows (training on Chromium's WebGPU); without it training processes get none */
  MessageChannelMain?: MessageChannelMainConstructorLike;
}

export interface ElectronAppOptions {
  appVersion: string;
  createSettings: () => SettingsStore;
  env?: NodeJS.ProcessEnv;
}

export interface RunningElectronApp {
  ctx: ServiceContext;
  window: BrowserWindowLike;
  /** settles when the first page load finished */
  loaded: Promise<void>;
}

/** Built files inside the app (the asar in a package): dist/renderer and the preloads in dist/electron. */
export function appLayout(appPath: string): { rendererDir: string; preloadPath: string; enginePreloadPath: string } {
  return {
    rendererDir: path.join(appPath, 'dist', 'renderer'),
    preloadPath: path.join(appPath, 'dist', 'electron', 'preload.cjs'),
    enginePreloadPath: path.join(appPath, 'dist', 'electron', 'enginePreload.cjs'),
  };
}

/** Must run before app ready: gives umedpt: a real, secure origin. */
export function registerAppScheme(protocol: ProtocolLike): void {
  protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { ...appSchemePrivileges } }]);
}

/**
 * The main process: once Electron is ready, create the services, serve the
 * renderer over umedpt://, answer the API over one checked IPC channel, open
 * the window, and close the services before the process quits.
 */
export async function runElectronApp(electron: ElectronMainModules, options: ElectronAppOptions): Promise<RunningElectronApp> {
  const { app } = electron;
  let ctx: ServiceContext | null = null;
  const log = (level: 'info' | 'warn' | 'error', message: string) => {
    if (level !== 'info') console.warn(`[electron] ${message}`);
    ctx?.events.emit('system/log', { level, source: 'electron', message, time: new Date().toISOString() });
  };
  const guards: NavigationGuardOptions = {
    openExternal: (url) => void electron.shell.openExternal(url),
    onBlocked: (what, url) => log('warn', `blocked ${what}${url ? ` to ${url}` : ''}`),
  };
  // Every web contents, not only our window's, gets the navigation guards.
  app.on('web-contents-created', (_event, contents) => lockDownWebContents(contents, guards));

  await app.whenReady();
  const { rendererDir, preloadPath, enginePreloadPath } = appLayout(app.getAppPath());
  const { MessageChannelMain } = electron;
  const engineWindows = MessageChannelMain
    ? createEngineWindowHost({ BrowserWindow: electron.BrowserWindow, MessageChannelMain }, { ...guards, preloadPath: enginePreloadPath, log: (message) => log('info', message) })
    : null;
  // Training and tool workers run as utility processes (set before the job manager exists).
  setDefaultProcessLauncher(createUtilityProcessLauncher(electron.utilityProcess, undefined, engineWindows));
  ctx = createServiceContext({ transport: 'electron', appVersion: options.appVersion, settings: options.createSettings(), env: options.env });
  const services = createServices(ctx);
  reconcileRunsAtStart(ctx);
  const serviceCtx = ctx;

  denyAllPermissions(electron.session.defaultSession, (permission) => log('warn', `denied permission ${permission}`));
  electron.protocol.handle(
    appScheme,
    createAppProtocolHandler({ rendererDir, media: (mediaPath, params) => handleMediaRequest(serviceCtx, mediaPath, params) }),
  );
  registerApiIpc(electron.ipcMain, services, { onRefused: (reason) => log('warn', `IPC ${reason}`) });

  const { window, loaded } = openMainWindow(electron.BrowserWindow, { ...guards, preloadPath, events: serviceCtx.events });
  registerSaveFileIpc(electron.ipcMain, electron.dialog, () => window, { onRefused: (reason) => log('warn', `save-file ${reason}`) });

  // hidden engine windows must not keep the app open once its window is gone
  window.on('closed', () => engineWindows?.closeAll());
  app.on('second-instance', () => {
    if (!window.isDestroyed()) window.focus();
  });
  app.on('window-all-closed', () => app.quit());
  let closed = false;
  app.on('before-quit', (event) => {
    if (closed) return;
    // Hold the quit until the catalog and running jobs are closed cleanly.
    event.preventDefault();
    closeServices(serviceCtx)
      .catch((error: unknown) => console.error('[electron] closing services failed:', error))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
  return { ctx: serviceCtx, window, loaded };
}
