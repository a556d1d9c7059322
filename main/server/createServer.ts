import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { ApiAction } from '../../shared/api';
import type { ServiceContext } from '../services/context';
import type { Handlers } from '../services/handlers';
import { describeZodIssues, dispatch, httpStatusFor } from '../services/dispatch';
import { handleMediaRequest, mediaCacheControl } from '../services/media';
import { hostAllowed, newServerToken, originAllowed, presentedToken, tokenCookieName, tokenMatches } from './serverAuth';
import { readStaticFile } from './staticFiles';
import { RequestRefused, idOf, maxBodyBytes, parseJsonBounded, readBoundedBody, requestUrl, socketCallSchema } from './requestLimits';

export interface ServerOptions {
  ctx: ServiceContext;
  handlers: Handlers<ApiAction>;
  /** folder with the built renderer (index.html); null serves the API only */
  staticDir: string | null;
  host?: string;
  port?: number;
  token?: string;
}

export interface RunningServer {
  url: string;
  host: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Page CSP: only our own scripts; the WebSocket back to this server. */
function contentSecurityPolicy(host: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ws://${host}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function send(res: ServerResponse, status: number, body: string | Uint8Array, mime: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': mime, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store', ...extra });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON.stringify(value), 'application/json');
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

/**
 * The browser/remote transport: the built renderer plus the API over HTTP
 * (POST /api/<domain>/<action>) and a WebSocket (/ws: calls and events).
 * Every request needs the per-start token; Host and Origin are checked.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? newServerToken();
  let port = options.port ?? 0;
  const { ctx, handlers, staticDir } = options;

  const guard = (req: IncomingMessage, url: URL): { status: number; message: string } | null => {
    if (!hostAllowed(req.headers.host, host, port)) return { status: 403, message: 'forbidden: unexpected Host header' };
    if (!originAllowed(req.headers.origin, req.headers.host, host, port)) return { status: 403, message: 'forbidden: foreign Origin' };
    if (!tokenMatches(presentedToken(req, url, port), token)) return { status: 401, message: 'unauthorized: missing or wrong token' };
    return null;
  };

  const handleRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let url: URL;
    try {
      url = requestUrl(req.url);
    } catch (error) {
      return send(res, 400, (error as Error).message, 'text/plain; charset=utf-8');
    }
    const denied = guard(req, url);
    if (denied) return send(res, denied.status, denied.message, 'text/plain; charset=utf-8');
    try {
      if (url.pathname.startsWith('/api/')) {
        if (req.method !== 'POST') return sendJson(res, 405, { error: { code: 'invalid_request', message: 'use POST' } });
        const action = url.pathname.slice('/api/'.length);
        let payload: unknown;
        try {
          const text = await readBoundedBody(req);
          payload = text ? parseJsonBounded(text) : {};
        } catch (error) {
          if (!(error instanceof RequestRefused)) throw error;
          res.setHeader('Connection', 'close');
          return sendJson(res, error.status, { error: { code: 'invalid_request', message: error.message } });
        }
        // a client that hangs up before its answer cancels what only it would read (detect, predictions)
        const hangUp = new AbortController();
        res.once('close', () => {
          if (!res.writableEnded) hangUp.abort();
        });
        const result = await dispatch(handlers, action, payload, { signal: hangUp.signal });
        return result.ok ? sendJson(res, 200, result.value ?? null) : sendJson(res, httpStatusFor(result.error.code), { error: result.error });
      }
      if (url.pathname.startsWith('/media/')) {
        const media = await handleMediaRequest(ctx, url.pathname.slice('/media/'.length), url.searchParams);
        return send(res, media.status, media.body, media.mime, { 'Cache-Control': mediaCacheControl(media) });
      }
      if (!staticDir) return send(res, 404, 'no renderer build', 'text/plain; charset=utf-8');
      // Unknown extension-less paths are app routes: serve the shell.
      const isAppRoute = !/\.[a-z0-9]+$/i.test(url.pathname);
      const file = await readStaticFile(staticDir, isAppRoute ? '/' : url.pathname);
      if (!file) return send(res, 404, 'not found', 'text/plain; charset=utf-8');
      const headers: Record<string, string> = {};
      if (file.mime.startsWith('text/html')) {
        headers['Content-Security-Policy'] = contentSecurityPolicy(req.headers.host ?? host);
        headers['Set-Cookie'] = `${tokenCookieName(port)}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
        headers['Referrer-Policy'] = 'no-referrer';
      }
      return send(res, 200, file.body, file.mime, headers);
    } catch (error) {
      if (res.headersSent) return void res.end();
      return sendJson(res, 500, { error: { code: 'internal', message: (error as Error).message } });
    }
  };
  // nothing a request holds (a malformed cookie, a reset mid-answer) may become an unhandled rejection
  const server = http.createServer((req, res) => {
    handleRequest(req, res).catch(() => {
      if (!res.headersSent) send(res, 400, 'bad request', 'text/plain; charset=utf-8');
      else res.destroy();
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: maxBodyBytes });
  // a peer that resets mid-handshake or mid-frame ends its own socket, never the server
  sockets.on('error', () => {});
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    let url: URL;
    try {
      url = requestUrl(req.url);
    } catch {
      url = new URL('/bad-request', 'http://placeholder');
    }
    let denied: { status: number; message: string } | null;
    try {
      denied = url.pathname === '/ws' ? guard(req, url) : { status: 404, message: 'not found' };
    } catch {
      denied = { status: 400, message: 'bad request' };
    }
    if (denied) {
      socket.end(`HTTP/1.1 ${denied.status} ${http.STATUS_CODES[denied.status]}\r\nConnection: close\r\n\r\n${denied.message}`);
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => serveSocket(ws));
  });

  const serveSocket = (ws: WebSocket): void => {
    const unsubscribe = ctx.events.subscribe((message) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'event', ...message }));
    });
    // the socket closing cancels the calls still running on it that only it would read
    const closed = new AbortController();
    ws.on('close', () => {
      unsubscribe();
      closed.abort();
    });
    // ws closes the socket itself on a protocol error (1002), invalid UTF-8 (1007) or an oversize message (1009),
    // sending that close code; without a listener its 'error' would be unhandled and end the process
    ws.on('error', () => {});
    const answer = (id: number | string | null, result: object) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'result', id, ...result }));
    };
    ws.on('message', (data, isBinary) => {
      void serveCall(data, isBinary, closed.signal)
        .then((reply) => answer(reply.id, reply.result))
        .catch((error: unknown) => answer(null, { ok: false, error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } }));
    });
  };

  const invalid = (message: string) => ({ ok: false, error: { code: 'invalid_request', message } }) as const;
  /** One message, validated before use; every failure becomes an answer, never an exception. */
  const serveCall = async (data: RawData, isBinary: boolean, signal: AbortSignal): Promise<{ id: number | string | null; result: object }> => {
    if (isBinary) return { id: null, result: invalid('binary messages are not accepted: send JSON text') };
    let message: unknown;
    try {
      message = parseJsonBounded(rawText(data));
    } catch (error) {
      return { id: null, result: invalid(error instanceof RequestRefused ? error.message.replace('body', 'message') : 'message is not JSON') };
    }
    const call = socketCallSchema.safeParse(message);
    if (!call.success) return { id: idOf(message), result: invalid(`message must be {"id", "action", "payload"}: ${describeZodIssues(call.error.issues)}`) };
    return { id: call.data.id ?? null, result: await dispatch(handlers, call.data.action, call.data.payload, { signal }) };
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    host,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
