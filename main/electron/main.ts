/**
 * Electron entry (bundled to dist/electron/main.cjs, package.json "main").
 * Everything that touches Electron goes through runElectronApp so the wiring
 * is the same code the unit tests drive with a fake.
 */
import { app, BrowserWindow, dialog, ipcMain, MessageChannelMain, protocol, session, shell, utilityProcess } from 'electron';
import { readAppVersion } from '../services/appVersion';
import { registerAppScheme, runElectronApp } from './electronApp';
import { createElectronSettingsStore } from './electronSettingsStore';
import { enableChromiumWebgpu } from './engineWindowHost';

registerAppScheme(protocol);
// the engine windows train on Chromium's WebGPU (switches must precede ready)
enableChromiumWebgpu(app);

if (!app.requestSingleInstanceLock()) {
  // A second launch only focuses the first one (see 'second-instance').
  app.quit();
} else {
  app.enableSandbox();
  runElectronApp(
    { app, BrowserWindow, ipcMain, protocol, session, shell, dialog, utilityProcess, MessageChannelMain },
    { appVersion: readAppVersion(), createSettings: () => createElectronSettingsStore({ ipcMain }) },
  ).catch((error: unknown) => {
    dialog.showErrorBox('UMedPT Studio could not start', error instanceof Error ? (error.stack ?? error.message) : String(error));
    app.exit(1);
  });
}
