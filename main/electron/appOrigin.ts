/**
 * Where the renderer lives inside Electron: a privileged custom scheme rather
 * than file://, so the page has a real origin, file access is limited to what
 * the protocol handler chooses to serve, and IPC senders can be checked.
 * Pure constants and URL checks: the sandboxed preload imports this file too.
 */
export const appScheme = 'umedpt';
/** host of the built renderer (dist/renderer) */
export const appHost = 'app';

export const appOrigin = `${appScheme}://${appHost}`;
export const appEntryUrl = `${appOrigin}/index.html`;
/**
 * Binary resources answered by main/services/media.ts live under the app's
 * own origin, as /media/ does on the HTTP server: same-origin for CSP,
 * fetch and canvas reads, with no CORS opening on the scheme.
 */
export const mediaPathPrefix = '/media/';

/** Privileges for protocol.registerSchemesAsPrivileged (before app ready). */
export const appSchemePrivileges = {
  // standard: a real origin, relative URLs and same-origin rules work as on https
  standard: true,
  // secure: treated like https (secure context), no mixed-content downgrades
  secure: true,
  supportFetchAPI: true,
  stream: true,
} as const;

function parse(url: string | null | undefined): URL | null {
  if (typeof url !== 'string' || url.length === 0) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * True only for a page of our own renderer: umedpt://app with no port,
 * credentials or other host. Every IPC sender is checked against this.
 */
export function isAppPageUrl(url: string | null | undefined): boolean {
  const parsed = parse(url);
  return parsed !== null && parsed.protocol === `${appScheme}:` && parsed.host === appHost && parsed.username === '' && parsed.password === '';
}

/** "preview/<imageId>?maxSide=256" → umedpt://app/media/preview/<imageId>?maxSide=256 */
export function mediaUrlFor(path: string): string {
  if (typeof path !== 'string') throw new TypeError('mediaUrl(path): path must be a string');
  return `${appOrigin}${mediaPathPrefix}${path.replace(/^\/+/, '')}`;
}
