import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../../main/server/createServer';
import { createServiceContext, createServices, type ServiceContext } from '../../../main/services';
import { createMemorySettingsStore } from '../../../main/services/settingsStore';

let server: RunningServer;
let ctx: ServiceContext;
let base: string;

function request(pathname: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${pathname}`, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

const auth = () => ({ Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' });

beforeAll(async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'umedpt-server-'));
  const staticDir = path.join(home, 'static');
  mkdirSync(staticDir);
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>UMedPT Studio</title>');
  writeFileSync(path.join(home, 'secret.txt'), 'not for the web');
  ctx = createServiceContext({ transport: 'server', appVersion: '9.9.9', settings: createMemorySettingsStore(), env: { UMEDPT_HOME: home } });
  server = await startServer({ ctx, handlers: createServices(ctx), staticDir, port: 0 });
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server.close();
});

describe('browser/remote transport', () => {
  it('binds to 127.0.0.1 and prints the URL with its token', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(24);
  });

  it('refuses the page without a token (401) and with a wrong token (401)', async () => {
    expect((await request('/')).status).toBe(401);
    expect((await request('/?token=wrong')).status).toBe(401);
    const ok = await request(`/?token=${server.token}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('UMedPT Studio');
    expect(ok.headers['content-security-policy']).toContain("script-src 'self'");
    expect(String(ok.headers['set-cookie'])).toContain('HttpOnly');
  });

  it('refuses API calls without or with a wrong token', async () => {
    expect((await request('/api/system/info', { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await request('/api/system/info', { method: 'POST', body: '{}', headers: { Authorization: 'Bearer nope' } })).status).toBe(401);
  });

  it('refuses a foreign Origin with 403 even with the token', async () => {
    const res = await request('/api/system/info', { method: 'POST', body: '{}', headers: { ...auth(), Origin: 'http://evil.example' } });
    expect(res.status).toBe(403);
  });

  it('refuses a Host header that is not loopback (DNS rebinding) with 403', async () => {
    const res = await request('/api/system/info', { method: 'POST', body: '{}', headers: { ...auth(), Host: `evil.example:${server.port}` } });
    expect(res.status).toBe(403);
  });

  it('answers an invalid payload with 400 and the schema message', async () => {
    const res = await request('/api/settings/set', { method: 'POST', body: JSON.stringify({ theme: 'purple' }), headers: auth() });
    expect(res.status).toBe(400);
    const body = JSON.parse(res.body);
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toMatch(/theme/);
  });

  it('answers a valid call with 200 and the service result', async () => {
    const res = await request('/api/system/info', { method: 'POST', body: '{}', headers: { ...auth(), Origin: base } });
    expect(res.status).toBe(200);
    const info = JSON.parse(res.body);
    expect(info.appVersion).toBe('9.9.9');
    expect(info.transport).toBe('server');
    expect(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).toContain(info.selectedBackend);
  });

  it('answers an unknown action with 404', async () => {
    expect((await request('/api/nope/never', { method: 'POST', body: '{}', headers: auth() })).status).toBe(404);
  });

  it('never serves files outside the renderer folder', async () => {
    const res = await request(`/..%2fsecret.txt?token=${server.token}`);
    expect(res.body).not.toContain('not for the web');
  });

  it('carries calls and events over the WebSocket, with the token', async () => {
    await expect(
      new Promise((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode));
        ws.on('open', () => reject(new Error('opened without token')));
        ws.on('error', () => undefined);
      }),
    ).resolves.toBe(401);

    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
    await new Promise((resolve) => ws.on('open', resolve));
    const messages: Array<Record<string, unknown>> = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data))));
    ws.send(JSON.stringify({ id: 1, action: 'settings/set', payload: { theme: 'dark' } }));
    ws.send(JSON.stringify({ id: 2, action: 'settings/set', payload: { theme: 42 } }));
    ctx.events.emit('system/log', { level: 'info', source: 'test', message: 'hello', time: new Date().toISOString() });
    await new Promise((resolve) => setTimeout(resolve, 300));
    ws.close();
    const r1 = messages.find((m) => m.id === 1)!;
    expect(r1.ok).toBe(true);
    expect((r1.value as { theme: string }).theme).toBe('dark');
    const r2 = messages.find((m) => m.id === 2)!;
    expect(r2.ok).toBe(false);
    expect((r2.error as { message: string }).message).toMatch(/theme/);
    expect(messages.some((m) => m.type === 'event' && m.event === 'system/log')).toBe(true);
  });
});
