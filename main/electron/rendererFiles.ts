import path from 'node:path';

const assetTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Content type of a renderer asset, by extension. */
export function assetTypeFor(file: string): string {
  return assetTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type RendererFileLookup = { ok: true; file: string } | { ok: false; reason: string };

/**
 * Maps the path of an umedpt://app URL to a file inside rendererDir.
 * Refuses rather than normalises anything suspicious: a ".." segment (also
 * when percent-encoded), backslashes (separators on Windows), NUL bytes and
 * drive-letter colons; and checks the joined path is still inside the root.
 */
export function resolveRendererFile(rendererDir: string, urlPathname: string): RendererFileLookup {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPathname);
  } catch {
    return { ok: false, reason: `malformed percent-encoding in ${urlPathname}` };
  }
  if (decoded.includes('\0')) return { ok: false, reason: 'NUL byte in path' };
  if (decoded.includes('\\')) return { ok: false, reason: 'backslash in path' };
  const segments = decoded.split('/').filter((s) => s.length > 0 && s !== '.');
  if (segments.some((s) => s === '..')) return { ok: false, reason: `path traversal refused: ${decoded}` };
  if (segments.some((s) => s.includes(':'))) return { ok: false, reason: `colon in path refused: ${decoded}` };
  const root = path.resolve(rendererDir);
  const file = segments.length === 0 ? path.join(root, 'index.html') : path.join(root, ...segments);
  if (!file.startsWith(root + path.sep)) return { ok: false, reason: `path escapes the renderer folder: ${decoded}` };
  return { ok: true, file };
}

/** Client-side routes ("/datasets/42") have no extension: they get index.html. */
export function isClientRoute(urlPathname: string): boolean {
  const last = urlPathname.split('/').pop() ?? '';
  return !last.includes('.');
}
