import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { startServer, type RunningServer } from '../../../main/server/createServer';
import { createServiceContext, createServices } from '../../../main/services';
import { createMemorySettingsStore } from '../../../main/services/settingsStore';
import { tokenCookieName } from '../../../main/server/serverAuth';

let server: RunningServer;

function post(headers: Record<string, string>, query = ''): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(`http://127.0.0.1:${server.port}/api/system/info${query}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end('{}');
  });
}

/** Same length as the real token, one character different. */
const wrongToken = (): string => (server.token[0] === 'A' ? 'B' : 'A') + server.token.slice(1);

beforeAll(async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'umedpt-guard-'));
  const ctx = createServiceContext({ transport: 'server', appVersion: '1.0.0', settings: createMemorySettingsStore(), env: { UMEDPT_HOME: home } });
  server = await startServer({ ctx, handlers: createServices(ctx), staticDir: null, port: 0 });
});

afterAll(async () => {
  await server.close();
});

describe('server guard over HTTP (asymmetric inputs)', () => {
  it('refuses an equal-length wrong token in the query, the Bearer header and the cookie', async () => {
    expect(wrongToken()).toHaveLength(server.token.length);
    expect(await post({}, `?token=${wrongToken()}`)).toBe(401);
    expect(await post({ Authorization: `Bearer ${wrongToken()}` })).toBe(401);
    expect(await post({ Cookie: `${tokenCookieName(server.port)}=${wrongToken()}` })).toBe(401);
    expect(await post({ Authorization: `Bearer ${server.token}` })).toBe(200);
    expect(await post({ Cookie: `${tokenCookieName(server.port)}=${server.token}` })).toBe(200);
  });

  it('refuses the right token sent as another port’s cookie', async () => {
    expect(await post({ Cookie: `${tokenCookieName(server.port + 1)}=${server.token}` })).toBe(401);
  });

  it('refuses Host headers naming another local port or a 127.-prefixed name, even with the token', async () => {
    const auth = { Authorization: `Bearer ${server.token}` };
    expect(await post({ ...auth, Host: `127.0.0.1:${server.port + 1}` })).toBe(403);
    expect(await post({ ...auth, Host: `127.attacker.example:${server.port}` })).toBe(403);
    expect(await post({ ...auth, Host: `localhost:${server.port}` })).toBe(200);
  });

  it('refuses an Origin of another local port or a 127.-prefixed name, even with the token', async () => {
    const auth = { Authorization: `Bearer ${server.token}` };
    expect(await post({ ...auth, Origin: `http://127.0.0.1:${server.port + 1}` })).toBe(403);
    expect(await post({ ...auth, Origin: `http://127.attacker.example:${server.port}` })).toBe(403);
    expect(await post({ ...auth, Origin: `http://127.0.0.1:${server.port}` })).toBe(200);
  });
});
