import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../shared/api/endpoint';
import type { ServiceContext } from './context';

/**
 * Where the API may read and write files. The desktop app, the CLI and
 * `umedpt serve` on loopback act for the user at the keyboard: anywhere. A
 * server others can reach (`--host` other than loopback) is confined to its
 * roots (`--allow-root`, default the data folder), so a caller with the token
 * cannot import /etc or export over ~/.ssh.
 */
const rootsByContext = new WeakMap<ServiceContext, readonly string[]>();

/** Confines the context's file access to roots (each an existing folder; symlinks resolved). */
export function confineFileAccess(ctx: ServiceContext, roots: readonly string[]): readonly string[] {
  if (roots.length === 0) throw new Error('file access needs at least one root folder');
  const resolved = roots.map((root) => {
    if (!path.isAbsolute(root)) throw new Error(`allowed root "${root}" is not an absolute path`);
    if (!existsSync(root)) throw new Error(`allowed root ${root}: no such folder`);
    return realpathSync(root);
  });
  const unique = [...new Set(resolved)];
  rootsByContext.set(ctx, unique);
  return unique;
}

/** The roots file access is confined to; null when it is not confined. */
export function fileRootsOf(ctx: ServiceContext): readonly string[] | null {
  return rootsByContext.get(ctx) ?? null;
}

/** p with its symlinks resolved; for a path not made yet, its nearest existing folder's real path plus the rest. */
function realPathOf(p: string): string {
  let existing = p;
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const parent = path.dirname(existing);
    if (parent === existing) break;
    rest.unshift(path.basename(existing));
    existing = parent;
  }
  return path.join(realpathSync(existing), ...rest);
}

export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The absolute path the API may use for `what` ("import path", "export folder"...), or a
 * `forbidden` ApiError naming the path and the roots. Unconfined, p resolved as before; confined,
 * a relative path is refused (the server's working folder is not the caller's).
 */
export function allowedPath(ctx: ServiceContext, p: string, what: string): string {
  const roots = fileRootsOf(ctx);
  if (roots === null) return path.resolve(p);
  if (!path.isAbsolute(p)) throw new ApiError('invalid_request', `${what} "${p.slice(0, 200)}" is a relative path: give an absolute path`);
  const abs = path.resolve(p);
  const real = realPathOf(abs);
  if (roots.some((root) => isInside(root, real))) return abs;
  const shown = real === abs ? abs : `${abs} (${real})`;
  throw new ApiError(
    'forbidden',
    `${what} ${shown} is outside the folders this server may use: ${roots.join(', ')} (remote mode; start umedpt serve with --allow-root <folder> to add one)`,
  );
}

/** The files a run config names (the encoder it starts from) checked against the file roots. */
export function checkRunConfigPaths(ctx: ServiceContext, config: unknown): void {
  const model = config && typeof config === 'object' ? (config as { model?: unknown }).model : undefined;
  const from = model && typeof model === 'object' ? (model as { initEncoderFrom?: unknown }).initEncoderFrom : undefined;
  if (typeof from === 'string' && from !== '') allowedPath(ctx, from, 'model.initEncoderFrom');
}
