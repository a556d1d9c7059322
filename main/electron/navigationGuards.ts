import type { WebContentsLike } from './electronApi';
import { externalLinkAllowed } from './externalLinks';

export interface NavigationGuardOptions {
  /** https links the user clicks go here (the system browser) instead of a window of ours */
  openExternal?: (url: string) => void;
  /** told about every blocked navigation or window (logging) */
  onBlocked?: (what: string, url: string) => void;
}

/** Only https links to the allow-listed sites may leave the app, and only to the system browser. */
export function isExternalLink(url: string): boolean {
  return externalLinkAllowed(url);
}

/**
 * The renderer is a single page: it never navigates, redirects, opens
 * windows or attaches <webview>s. Everything of the kind is denied; https
 * links are handed to openExternal when one is given.
 */
export function lockDownWebContents(contents: WebContentsLike, options: NavigationGuardOptions = {}): void {
  const block = (what: string) => (event: { preventDefault(): void }, url: string) => {
    event.preventDefault();
    options.onBlocked?.(what, url);
  };
  contents.on('will-navigate', block('navigation'));
  contents.on('will-redirect', block('redirect'));
  contents.on('will-frame-navigate', block('frame navigation'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    options.onBlocked?.('webview', '');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (options.openExternal && isExternalLink(url)) options.openExternal(url);
    else options.onBlocked?.('new window', url);
    return { action: 'deny' };
  });
}
