import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { mediaCacheControl, type MediaResponse } from '../services/media';
import { appHost, appScheme, mediaPathPrefix } from './appOrigin';
import { contentSecurityPolicy } from './contentSecurityPolicy';
import type { ProtocolHandler } from './electronApi';
import { assetTypeFor, isClientRoute, resolveRendererFile } from './rendererFiles';

/** Answers umedpt://app/media/<path>?<params>; electronApp binds handleMediaRequest(ctx, ...) here. */
export type MediaSource = (mediaPath: string, params: URLSearchParams) => Promise<MediaResponse>;

export interface AppProtocolOptions {
  /** the built renderer: dist/renderer with index.html */
  rendererDir: string;
  media: MediaSource;
}

const baseHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

function textResponse(status: number, message: string): Response {
  return new Response(message, { status, headers: { ...baseHeaders, 'Content-Type': 'text/plain; charset=utf-8' } });
}

async function readIfFile(file: string): Promise<Uint8Array | null> {
  try {
    if (!(await stat(file)).isFile()) return null;
    return new Uint8Array(await readFile(file));
  } catch {
    return null;
  }
}

async function serveRenderer(rendererDir: string, url: URL): Promise<Response> {
  const lookup = resolveRendererFile(rendererDir, url.pathname);
  if (!lookup.ok) return textResponse(403, lookup.reason);
  let file = lookup.file;
  let body = await readIfFile(file);
  if (!body && isClientRoute(url.pathname)) {
    file = path.join(path.resolve(rendererDir), 'index.html');
    body = await readIfFile(file);
  }
  if (!body) return textResponse(404, `not found: ${url.pathname}`);
  return new Response(body, {
    status: 200,
    headers: { ...baseHeaders, 'Content-Type': assetTypeFor(file), 'Content-Security-Policy': contentSecurityPolicy },
  });
}

async function serveMedia(media: MediaSource, url: URL): Promise<Response> {
  const answer = await media(url.pathname.slice(mediaPathPrefix.length), url.searchParams);
  const body = typeof answer.body === 'string' ? answer.body : new Uint8Array(answer.body);
  // Previews change when an image is re-imported under the same id: only content-versioned ones (v=) are cached.
  return new Response(body, { status: answer.status, headers: { ...baseHeaders, 'Content-Type': answer.mime, 'Cache-Control': mediaCacheControl(answer) } });
}

/**
 * The handler for protocol.handle('umedpt', ...): umedpt://app/media/* goes
 * to the media service, the rest of umedpt://app/* serves the built renderer
 * (read-only, path traversal refused, CSP on every response), every other
 * host is 404.
 */
export function createAppProtocolHandler(options: AppProtocolOptions): (request: Request) => Promise<Response> {
  const handler = async (request: Request): Promise<Response> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, `method ${request.method} not allowed`);
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return textResponse(400, 'malformed URL');
    }
    if (url.protocol !== `${appScheme}:`) return textResponse(400, `not an ${appScheme}: URL`);
    try {
      if (url.host === appHost && url.pathname.startsWith(mediaPathPrefix)) return await serveMedia(options.media, url);
      if (url.host === appHost) return await serveRenderer(options.rendererDir, url);
    } catch (error) {
      return textResponse(500, error instanceof Error ? error.message : String(error));
    }
    return textResponse(404, `unknown host ${url.host}`);
  };
  return handler satisfies ProtocolHandler;
}
