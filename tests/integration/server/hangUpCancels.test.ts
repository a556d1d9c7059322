/**
 * A caller that goes away cancels the work only it would read: import/detect's worker ends when its
 * WebSocket closes or its HTTP client hangs up. An import job it started is a job the user sees in the
 * list, and runs on. Through the real `umedpt serve` process.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalCall, startServe, type ServeProcess } from '../robustness/serveProcess';
import { alive, commandLineOf, descendantPids, until } from '../robustness/processTree';
import { tinyPng } from '../robustness/hostileFiles';

const home = mkdtempSync(path.join(tmpdir(), 'umedpt-hangup-'));
let serve: ServeProcess;

beforeAll(async () => {
  serve = await startServe(home);
}, 90_000);
afterAll(async () => {
  await serve.stop();
  rmSync(home, { recursive: true, force: true });
});

/** The import workers serve runs now (detection and import jobs alike). */
function importWorkers(): number[] {
  return descendantPids(serve.child.pid!).filter((pid) => /importWorker/.test(commandLineOf(pid)));
}

/** A folder walk that takes seconds: /usr as plain images (skipped in a test run without /usr). */
const slowDetect = { path: '/usr', format: 'images' };

function openSocket(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${serve.port}/ws?token=${encodeURIComponent(serve.token)}`);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe('hang-up cancels request-scoped work', () => {
  it('a WebSocket that closes mid-detection ends the detection worker; the server answers on', async (context) => {
    if (!existsSync('/usr/share')) return context.skip();
    expect(importWorkers()).toEqual([]);
    const ws = await openSocket();
    ws.send(JSON.stringify({ id: 1, action: 'import/detect', payload: slowDetect }));
    await until(() => importWorkers().length === 1, 30_000, 'the detection worker to start');
    const [worker] = importWorkers();
    ws.close();
    await until(() => !alive(worker!), 10_000, `detection worker ${worker} to end after the socket closed`);
    expect((await normalCall(serve.port, serve.token)).ok).toBe(true);
  }, 60_000);

  it('an HTTP client that hangs up mid-detection ends the detection worker', async (context) => {
    if (!existsSync('/usr/share')) return context.skip();
    const hangUp = new AbortController();
    const request = fetch(`http://127.0.0.1:${serve.port}/api/import/detect`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${serve.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(slowDetect),
      signal: hangUp.signal,
    }).catch((error: unknown) => error);
    await until(() => importWorkers().length === 1, 30_000, 'the detection worker to start');
    const [worker] = importWorkers();
    hangUp.abort();
    await request;
    await until(() => !alive(worker!), 10_000, `detection worker ${worker} to end after the client hung up`);
    expect((await normalCall(serve.port, serve.token)).ok).toBe(true);
  }, 60_000);

  it('a detection whose caller stays gets its answer (the worker is not ended early)', async () => {
    const folder = path.join(home, 'small');
    for (const cls of ['a', 'b']) {
      mkdirSync(path.join(folder, cls), { recursive: true });
      for (let i = 0; i < 3; i++) writeFileSync(path.join(folder, cls, `${i}.png`), tinyPng());
    }
    const answer = await normalCall(serve.port, serve.token, 'import/detect', { path: folder }, 60_000);
    expect(answer.ok).toBe(true);
  }, 90_000);

  it('an import job started over a socket that then closes runs on to completion: it is a job the user sees', async () => {
    const folder = path.join(home, 'small');
    const ws = await openSocket();
    const started = new Promise<{ jobId: string }>((resolve, reject) => {
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type: string; id?: number; ok?: boolean; value?: { jobId: string }; error?: unknown };
        if (message.type !== 'result' || message.id !== 1) return;
        if (message.ok) resolve(message.value!);
        else reject(new Error(JSON.stringify(message.error)));
      });
    });
    ws.send(JSON.stringify({ id: 1, action: 'import/start', payload: { path: folder } }));
    const { jobId } = await started;
    ws.close();
    let state = '';
    const deadline = Date.now() + 60_000;
    while (state !== 'completed') {
      if (Date.now() > deadline) throw new Error(`import job ${jobId} did not complete after its socket closed (last state: ${state})`);
      const answer = await normalCall(serve.port, serve.token, 'import/listJobs', {});
      state = (answer.value as Array<{ jobId: string; state: string }> | undefined)?.find((j) => j.jobId === jobId)?.state ?? 'missing';
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 90_000);
});
