import type { EventBus } from '../services/eventBus';
import { appEntryUrl } from './appOrigin';
import type { BrowserWindowConstructorLike, BrowserWindowLike } from './electronApi';
import { forwardEvents } from './eventForwarding';
import { lockDownWebContents, type NavigationGuardOptions } from './navigationGuards';
import { mainWindowOptions } from './windowOptions';

export interface MainWindowOptions extends NavigationGuardOptions {
  preloadPath: string;
  iconPath?: string;
  events: EventBus;
}

/**
 * Opens the window on umedpt://app/index.html with the locked-down options
 * and guards, and streams service events to it until it closes.
 * The returned promise settles when the page has loaded (or failed to).
 */
export function openMainWindow(BrowserWindow: BrowserWindowConstructorLike, options: MainWindowOptions): { window: BrowserWindowLike; loaded: Promise<void> } {
  const window = new BrowserWindow(mainWindowOptions({ preloadPath: options.preloadPath, iconPath: options.iconPath }));
  lockDownWebContents(window.webContents, options);
  const stopEvents = forwardEvents(options.events, window.webContents);
  window.on('closed', stopEvents);
  window.once('ready-to-show', () => window.show());
  return { window, loaded: window.loadURL(appEntryUrl) };
}
