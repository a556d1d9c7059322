import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { allowedHosts, hostAllowed, isLoopbackHost, newServerToken, originAllowed, presentedToken, tokenCookieName, tokenMatches } from '../../../main/server/serverAuth';

/** Only the headers matter to presentedToken: a request is its headers here. */
const requestWith = (headers: Record<string, string>): IncomingMessage => ({ headers }) as unknown as IncomingMessage;

/** The same length as `token`, differing only at `position`. */
function oneCharOff(token: string, position: number): string {
  const swapped = token[position] === 'A' ? 'B' : 'A';
  return token.slice(0, position) + swapped + token.slice(position + 1);
}

describe('token', () => {

  it('is 32 url-safe characters, new every start', () => {
    const fresh = newServerToken();
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(newServerToken()).not.toBe(fresh);
  });

  it('matches only itself: equal-length wrong tokens fail, whichever character differs', () => {
    // made inside the test, not while collecting: a broken generator must fail a test, not the file
    const token = newServerToken();
    expect(tokenMatches(token, token)).toBe(true);
    for (const position of [0, 15, 31]) expect(tokenMatches(oneCharOff(token, position), token), `differs at ${position}`).toBe(false);
    expect(tokenMatches('x'.repeat(token.length), token)).toBe(false);
    expect(tokenMatches(token.slice(0, -1), token)).toBe(false);
    expect(tokenMatches(`${token}x`, token)).toBe(false);
    expect(tokenMatches('', token)).toBe(false);
    expect(tokenMatches(null, token)).toBe(false);
  });

  it('is read from the query, then a Bearer header, then the cookie of this port only', () => {
    const url = (query = '') => new URL(`http://127.0.0.1:5178/api/x${query}`);
    expect(presentedToken(requestWith({}), url('?token=q1'), 5178)).toBe('q1');
    expect(presentedToken(requestWith({ authorization: 'Bearer b1' }), url('?token=q1'), 5178)).toBe('q1');
    expect(presentedToken(requestWith({ authorization: 'Bearer  b1 ' }), url(), 5178)).toBe('b1');
    expect(presentedToken(requestWith({ authorization: 'Basic b1' }), url(), 5178)).toBeNull();
    const cookie = `other=1; ${tokenCookieName(5178)}=c%3D1=2; ${tokenCookieName(5179)}=wrong-port`;
    expect(presentedToken(requestWith({ cookie }), url(), 5178)).toBe('c=1=2');
    expect(presentedToken(requestWith({ cookie }), url(), 5179)).toBe('wrong-port');
    expect(presentedToken(requestWith({ cookie: `${tokenCookieName(5180)}=elsewhere` }), url(), 5178)).toBeNull();
    expect(presentedToken(requestWith({ authorization: 'Bearer b1', cookie }), url(), 5178)).toBe('b1');
    expect(tokenCookieName(5178)).toBe('umedpt_token_5178');
  });
});

describe('loopback bind addresses', () => {
  it('are 127.0.0.0/8 dotted quads, localhost and ::1, nothing merely starting with 127.', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '127.255.255.255', 'localhost', 'LOCALHOST', '::1', '[::1]']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['127.attacker.example', '127.0.0.1.nip.io', '127.0.0.256', '127.0.0', '1127.0.0.1', '128.0.0.1', '0.0.0.0', '::', '192.168.1.5', 'localhost.example', '']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});

describe('Host header (DNS rebinding guard)', () => {
  const port = 5178;

  it('accepts exactly the loopback names with the server port', () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LocalHost:${port}`]) expect(hostAllowed(host, '127.0.0.1', port), host).toBe(true);
  });

  it('refuses other local ports, 127.-prefixed names, a missing port and foreign names', () => {
    const refused = [
      `127.0.0.1:${port + 1}`,
      `localhost:${port - 1}`,
      `[::1]:80`,
      '127.0.0.1',
      'localhost',
      `127.attacker.example:${port}`,
      `127.0.0.1.nip.io:${port}`,
      `127.0.0.2:${port}`,
      `evil.example:${port}`,
      `127.0.0.1:${port}:${port}`,
      `127.0.0.1:0${port}`,
      '',
    ];
    for (const host of refused) expect(hostAllowed(host, '127.0.0.1', port), host).toBe(false);
    expect(hostAllowed(undefined, '127.0.0.1', port)).toBe(false);
  });

  it('a bare name means port 80', () => {
    expect(hostAllowed('localhost', '127.0.0.1', 80)).toBe(true);
    expect(hostAllowed('localhost:80', '127.0.0.1', 80)).toBe(true);
    expect(hostAllowed('localhost:8080', '127.0.0.1', 80)).toBe(false);
  });

  it('adds the configured --host to the loopback names, with the port, and nothing else', () => {
    expect(hostAllowed(`192.168.1.5:${port}`, '192.168.1.5', port)).toBe(true);
    expect(hostAllowed(`studio.lab.example:${port}`, 'Studio.Lab.Example', port)).toBe(true);
    expect(hostAllowed(`127.0.0.1:${port}`, '192.168.1.5', port)).toBe(true);
    expect(hostAllowed(`192.168.1.6:${port}`, '192.168.1.5', port)).toBe(false);
    expect(hostAllowed(`192.168.1.5:${port + 1}`, '192.168.1.5', port)).toBe(false);
    expect(hostAllowed(`[fd00::5]:${port}`, 'fd00::5', port)).toBe(true);
    expect(hostAllowed(`[fd00::5]:${port}`, '[fd00::5]', port)).toBe(true);
    expect(hostAllowed(`[[fd00::5]]:${port}`, '[fd00::5]', port)).toBe(false);
    expect(hostAllowed(`127.0.0.2:${port}`, '127.0.0.2', port)).toBe(true);
    expect([...allowedHosts('127.0.0.1', port)!].sort()).toEqual([`127.0.0.1:${port}`, `[::1]:${port}`, `localhost:${port}`]);
  });

  it('a wildcard bind (remote mode) leaves the Host to the token', () => {
    for (const bound of ['0.0.0.0', '::', '[::]']) {
      expect(allowedHosts(bound, port)).toBeNull();
      expect(hostAllowed(`anything.example:${port + 7}`, bound, port)).toBe(true);
      expect(hostAllowed(undefined, bound, port)).toBe(false);
    }
  });
});

describe('Origin header', () => {
  const port = 5178;
  const host = `127.0.0.1:${port}`;

  it('no Origin (not a browser, or same-origin GET) passes; this server as http or https passes', () => {
    expect(originAllowed(undefined, host, '127.0.0.1', port)).toBe(true);
    expect(originAllowed(`http://${host}`, host, '127.0.0.1', port)).toBe(true);
    expect(originAllowed(`https://${host}`, host, '127.0.0.1', port)).toBe(true);
    expect(originAllowed(`http://localhost:${port}`, `localhost:${port}`, '127.0.0.1', port)).toBe(true);
  });

  it('refuses another local port, a 127.-prefixed name, another loopback name than the Host, and junk', () => {
    const refused = [
      `http://127.0.0.1:${port + 1}`,
      `http://127.attacker.example:${port}`,
      `http://localhost:${port}`,
      `http://evil.example`,
      'null',
      host,
      `ftp://${host}`,
      `http://${host}/`,
      `http://${host}.evil.example`,
      `xhttp://${host}`,
      `http://${host}\nx`,
    ];
    for (const origin of refused) expect(originAllowed(origin, host, '127.0.0.1', port), origin).toBe(false);
    expect(originAllowed(`http://${host}`, undefined, '127.0.0.1', port)).toBe(false);
  });

  it('checks the Origin against the allow-list, not only against the Host header', () => {
    // a Host header that slipped through must not vouch for itself
    const foreign = `127.attacker.example:${port}`;
    expect(originAllowed(`http://${foreign}`, foreign, '127.0.0.1', port)).toBe(false);
    // remote mode: same-origin is all that is asked
    expect(originAllowed(`http://${foreign}`, foreign, '0.0.0.0', port)).toBe(true);
    expect(originAllowed(`http://other.example:${port}`, foreign, '0.0.0.0', port)).toBe(false);
  });
});
