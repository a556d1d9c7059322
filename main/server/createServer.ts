import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiAction } from '../../shared/api';
import type { ServiceContext } from '../services/context';
import type { Handlers } from '../services/handlers';
import { dispatch, httpStatusFor } from '../services/dispatch';
import { handleMediaRequest, mediaCacheControl } from '../services/media';
import { hostAllowed, newServerToken, originAllowed, presentedToken, tokenCookieName, tokenMatches } from './serverAuth';
import { readStaticFile } from './staticFiles';

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

const maxBodyBytes = 16 * 1024 * 1024;

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

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        reject(new Error('request body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
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

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const denied = guard(req, url);
    if (denied) return send(res, denied.status, denied.message, 'text/plain; charset=utf-8');
    try {
      if (url.pathname.startsWith('/api/')) {
        if (req.method !== 'POST') return sendJson(res, 405, { error: { code: 'invalid_request', message: 'use POST' } });
        const action = url.pathname.slice('/api/'.length);
        let payload: unknown;
        try {
          const text = await readBody(req);
          payload = text ? JSON.parse(text) : {};
        } catch (error) {
          return sendJson(res, 400, { error: { code: 'invalid_request', message: `body is not JSON: ${(error as Error).message}` } });
        }
        const result = await dispatch(handlers, action, payload);
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
      return sendJson(res, 500, { error: { code: 'internal', message: (error as Error).message } });
    }
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: maxBodyBytes });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const denied = url.pathname === '/ws' ? guard(req, url) : { status: 404, message: 'not found' };
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
    ws.on('close', unsubscribe);
    ws.on('message', async (data) => {
      let message: { id?: unknown; action?: unknown; payload?: unknown };
      try {
        message = JSON.parse(String(data));
      } catch {
        ws.send(JSON.stringify({ type: 'result', id: null, ok: false, error: { code: 'invalid_request', message: 'message is not JSON' } }));
        return;
      }
      const id = typeof message.id === 'number' || typeof message.id === 'string' ? message.id : null;
      const result = typeof message.action === 'string' ? await dispatch(handlers, message.action, message.payload) : ({ ok: false, error: { code: 'invalid_request', message: 'missing action' } } as const);
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'result', id, ...result }));
    });
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
