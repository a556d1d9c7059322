import { ApiError } from '../../shared/api';
import type { ServiceContext } from './context';
import { httpStatusFor } from './dispatch';

export interface MediaResponse {
  status: number;
  mime: string;
  body: Uint8Array | string;
  /** the URL names one version of the content (e.g. by hash): the page may cache it for good */
  immutable?: boolean;
}

/** Cache-Control for a media answer: content-versioned URLs are cached, everything else is not. */
export function mediaCacheControl(response: MediaResponse): string {
  return response.immutable && response.status === 200 ? 'private, max-age=31536000, immutable' : 'no-store';
}

export type MediaRoute = (ctx: ServiceContext, rest: string[], params: URLSearchParams) => Promise<MediaResponse>;

const routes = new Map<string, MediaRoute>();

/** Domains register binary resources (previews, masks, plots) by first path segment. */
export function registerMediaRoute(name: string, route: MediaRoute): void {
  routes.set(name, route);
}

export function notFound(message: string): MediaResponse {
  return { status: 404, mime: 'text/plain; charset=utf-8', body: message };
}

/**
 * Binary resources for the UI, shared by both transports:
 * "preview/<imageId>?maxSide=256" over HTTP at /media/... and over
 * Electron's app protocol at umedpt://app/media/... (same origin as the page).
 */
export async function handleMediaRequest(ctx: ServiceContext, mediaPath: string, params: URLSearchParams): Promise<MediaResponse> {
  let segments: string[];
  try {
    segments = mediaPath.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  } catch {
    return { status: 400, mime: 'text/plain; charset=utf-8', body: 'malformed media path: bad percent-encoding' };
  }
  const [name, ...rest] = segments;
  const route = name ? routes.get(name) : undefined;
  if (!route) return notFound(`no media route "${name ?? ''}"`);
  try {
    return await route(ctx, rest, params);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Service errors keep their meaning (not_found -> 404); anything else is a bad request path.
    const status = error instanceof ApiError ? httpStatusFor(error.code) : 400;
    return { status, mime: 'text/plain; charset=utf-8', body: message };
  }
}
