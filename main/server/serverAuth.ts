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

const loopbackNames = ['127.0.0.1', 'localhost', '[::1]'];

/** A bind address is loopback: 127.0.0.0/8 as a dotted quad, localhost, or ::1 (bracketed or not). */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase();
  if (name === 'localhost' || name === '::1' || name === '[::1]') return true;
  const quad = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(name);
  return quad !== null && quad[1] === '127' && quad.slice(2).every((part) => Number(part) <= 255);
}

/** A wildcard bind (every interface): clients reach it by names we cannot know. */
function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/** How a Host header names the bound address: IPv6 literals in brackets, names lower-cased. */
function hostHeaderName(boundHost: string): string {
  const name = boundHost.toLowerCase();
  return name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
}

/**
 * The exact `name:port` values a Host header may carry: the loopback names
 * and the configured --host, each with the server's port (a bare name means
 * port 80). Null for a wildcard bind, where the token alone guards.
 */
export function allowedHosts(boundHost: string, port: number): Set<string> | null {
  if (isWildcardHost(boundHost)) return null;
  const names = new Set([...loopbackNames, hostHeaderName(boundHost)]);
  const allowed = new Set<string>();
  for (const name of names) {
    allowed.add(`${name}:${port}`);
    if (port === 80) allowed.add(name);
  }
  return allowed;
}

/**
 * DNS-rebinding guard: the Host header must be one of `allowedHosts`
 * exactly (so `127.attacker.example` or another local port never passes).
 * A server bound to every interface (0.0.0.0, ::) accepts any Host; the
 * token still guards it.
 */
export function hostAllowed(hostHeader: string | undefined, boundHost: string, port: number): boolean {
  if (!hostHeader) return false;
  const allowed = allowedHosts(boundHost, port);
  return allowed === null || allowed.has(hostHeader.toLowerCase());
}

/**
 * Origin, when a browser sends one, must be this very server: http:// or
 * https:// followed by an allowed Host value, and the Host header itself
 * (a page on another local port or name is another origin).
 */
export function originAllowed(origin: string | undefined, hostHeader: string | undefined, boundHost: string, port: number): boolean {
  if (origin === undefined) return true;
  if (hostHeader === undefined) return false;
  const match = /^https?:\/\/(.+)$/.exec(origin.toLowerCase());
  if (!match) return false;
  const originHost = match[1]!;
  return originHost === hostHeader.toLowerCase() && hostAllowed(originHost, boundHost, port);
}
