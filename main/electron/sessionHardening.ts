import type { SessionLike } from './electronApi';

/**
 * The app needs no browser permission (camera, geolocation, notifications,
 * clipboard read, ...): every request and every check is answered no.
 */
export function denyAllPermissions(session: SessionLike, onDenied?: (permission: string) => void): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    onDenied?.(permission);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
}
