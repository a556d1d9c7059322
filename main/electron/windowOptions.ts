import type { BrowserWindowOptionsLike, WebPreferencesLike } from './electronApi';

/**
 * Options of the main window. The renderer gets no Node: isolated world for
 * the preload, Chromium sandbox on, no nodeIntegration anywhere (workers and
 * sub-frames included), web security on, no <webview>, and files dropped on
 * the window do not navigate it.
 */
export function mainWindowOptions(options: { preloadPath: string; iconPath?: string }): BrowserWindowOptionsLike {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'UMedPT Studio',
    // shown on ready-to-show: no white flash before the first paint
    show: false,
    backgroundColor: '#0f1b2d',
    ...(options.iconPath ? { icon: options.iconPath } : {}),
    webPreferences: hardenedWebPreferences(options.preloadPath),
  };
}

/** The web preferences every window of the app gets (main window, engine windows): no Node anywhere, sandboxed. */
export function hardenedWebPreferences(preloadPath: string): WebPreferencesLike {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}
