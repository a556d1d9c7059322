import type { IncomingMessage } from 'node:http';
import { z } from 'zod';

/** Largest request body or WebSocket message the API takes (the biggest real payload is a config of a few KB). */
export const maxBodyBytes = 16 * 1024 * 1024;

/** Deepest JSON nesting the API takes: real payloads nest under 10; 3 million deep blocked the loop for seconds. */
export const maxJsonDepth = 64;

/** A request the server refuses with a status and a message, never by dropping the connection. */
export class RequestRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Nesting depth of a JSON text, scanned in one linear pass (strings skipped)
 * so that a hostile body is refused before JSON.parse builds it.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > limit) return true;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return false;
}

/** JSON.parse behind the depth limit; throws RequestRefused(400) with a short reason. */
export function parseJsonBounded(text: string): unknown {
  if (jsonDepthExceeds(text, maxJsonDepth)) throw new RequestRefused(400, `JSON nested deeper than ${maxJsonDepth} levels`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RequestRefused(400, `body is not JSON: ${(error as Error).message.slice(0, 200)}`);
  }
}

/**
 * The request body as text, at most maxBytes. A body over the limit is refused as 413 once it has been
 * drained (read and dropped), so the client reads the answer instead of a connection reset; an upload
 * beyond four times the limit (declared or real) is refused at once and cut off.
 */
export function readBoundedBody(req: IncomingMessage, maxBytes = maxBodyBytes): Promise<string> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => new RequestRefused(413, `request body larger than ${maxBytes} bytes`);
    const drainLimit = maxBytes * 4;
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > drainLimit) return reject(tooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      finish();
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > drainLimit) {
        settle(() => reject(tooLarge()));
        req.destroy();
        return;
      }
      if (size > maxBytes) {
        refused = true;
        chunks.length = 0;
      } else if (!refused) chunks.push(chunk);
    });
    req.on('end', () => settle(() => (refused ? reject(tooLarge()) : resolve(Buffer.concat(chunks).toString('utf8')))));
    req.on('error', (error) => settle(() => reject(error)));
  });
}

/** The path of a request URL, or RequestRefused(400) for one that does not parse or decode. */
export function requestUrl(raw: string | undefined): URL {
  let url: URL;
  try {
    url = new URL(raw ?? '/', 'http://placeholder');
  } catch {
    throw new RequestRefused(400, 'malformed request URL');
  }
  try {
    decodeURIComponent(url.pathname);
  } catch {
    throw new RequestRefused(400, 'malformed request URL: bad percent-encoding');
  }
  return url;
}

/** One call over the WebSocket: { id?, action, payload? }. Anything else is answered with invalid_request. */
export const socketCallSchema = z.object({
  id: z.union([z.number(), z.string().max(200)]).optional(),
  action: z.string().min(1).max(200),
  payload: z.unknown().optional(),
});

export type SocketCall = z.infer<typeof socketCallSchema>;

/** The id of a message that failed validation, when it has a usable one (so the client can match the error). */
export function idOf(value: unknown): number | string | null {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const id = (value as { id?: unknown }).id;
    if (typeof id === 'number' || (typeof id === 'string' && id.length <= 200)) return id;
  }
  return null;
}
