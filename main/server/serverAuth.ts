import { timingSafeEqual, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function newServerToken(): string {
  return randomBytes(24).toString('base64url');
}

export function tokenCookieName(port: number): string {
  // Cookies ignore ports: name them per port so two servers on one host don't clash.
  return `umedpt_token_${port}`;
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

/** The token a request presents: query ?token=, Authorization: Bearer, or the per-port cookie. */
export function presentedToken(req: IncomingMessage, url: URL, port: number): string | null {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) return fromQuery;
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  return cookieValue(req.headers.cookie, tokenCookieName(port));
}

export function tokenMatches(presented: string | null, expected: string): boolean {
  return presented !== null && safeEqual(presented, expected);
}

const loopbackNames = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLoopbackHost(host: string): boolean {
  return loopbackNames.has(host) || host.startsWith('127.');
}

/**
 * DNS-rebinding guard: when bound to loopback, the Host header must name
 * loopback with our port. A server bound to another interface (remote mode)
 * accepts any Host; the token still guards it.
 */
export function hostAllowed(hostHeader: string | undefined, boundHost: string, port: number): boolean {
  if (!hostHeader) return false;
  if (!isLoopbackHost(boundHost)) return true;
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostHeader);
  if (!match) return false;
  const [, name, portText] = match;
  return isLoopbackHost(name!) && Number(portText ?? 80) === port;
}

/** Origin, when a browser sends one, must be this very server. */
export function originAllowed(origin: string | undefined, hostHeader: string | undefined): boolean {
  if (origin === undefined) return true;
  return hostHeader !== undefined && (origin === `http://${hostHeader}` || origin === `https://${hostHeader}`);
}
