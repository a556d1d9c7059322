/**
 * Issue 16 point 7 at the HTTP API: `import/start` for a source that is in the
 * catalog already answers 409 conflict at once, with the message offering
 * update or copy, instead of a job that then fails; with ifExists it starts.
 * A real server on 127.0.0.1, a real catalog, real import worker processes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import path from 'node:path';
import { startServer, type RunningServer } from '../../../main/server/createServer';
import { closeServices, createServiceContext, createServices, type ServiceContext } from '../../../main/services';
import { createMemorySettingsStore } from '../../../main/services/settingsStore';
import type { ApiEventMessage, ImportFinishedEvent } from '../../../shared/api';
import { maskPngBytes, tempDir, writeFile, writePng } from '../../unit/importers/generatedFixtures';

let server: RunningServer;
let ctx: ServiceContext;
const t = tempDir('umedpt-start-conflict-');
const source = path.join(t.dir, 'src');
const finished = new Map<string, ImportFinishedEvent>();

function post(action: string, payload: unknown): Promise<{ status: number; body: { error?: { code: string; message: string } } & Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`http://127.0.0.1:${server.port}/api/${action}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}` } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as never }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(payload));
  });
}

async function importedJob(jobId: string): Promise<ImportFinishedEvent> {
  await expect.poll(() => finished.has(jobId), { timeout: 60_000, interval: 100 }).toBe(true);
  return finished.get(jobId)!;
}

beforeAll(async () => {
  for (let i = 0; i < 4; i++) {
    writePng(path.join(source, 'images', `${i}.png`), { width: 16, height: 12, seed: i });
    writeFile(path.join(source, 'masks', `${i}.png`), maskPngBytes(16, 12, 0, 1));
  }
  ctx = createServiceContext({ transport: 'server', appVersion: 'test', settings: createMemorySettingsStore(), env: { UMEDPT_HOME: path.join(t.dir, 'home') } });
  ctx.events.subscribe((m: ApiEventMessage) => {
    if (m.event === 'import/finished') {
      const e = m.payload as ImportFinishedEvent;
      finished.set(e.jobId, e);
    }
  });
  server = await startServer({ ctx, handlers: createServices(ctx), staticDir: null, port: 0 });
});

afterAll(async () => {
  await server.close();
  await closeServices(ctx);
  t.cleanup();
});

describe('import/start for a source already in the catalog', () => {
  it('answers 409 with the message offering update or copy, starts no job, and starts with ifExists update or copy', async () => {
    const first = await post('import/start', { path: source, name: 'cells' });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const firstEnd = await importedJob(first.body.jobId as string);
    expect(firstEnd.state).toBe('completed');
    const datasetId = firstEnd.datasetId!;

    const jobsBefore = (await post('import/listJobs', {})).body as unknown as unknown[];
    const again = await post('import/start', { path: source });
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('conflict');
    expect(again.body.error?.message).toBe(`${source} is in the catalog already as dataset ${datasetId} ("cells"); import only its new or changed files with ifExists "update", or a second dataset with ifExists "copy"`);
    // refused before any job: the job list did not grow
    expect(((await post('import/listJobs', {})).body as unknown as unknown[]).length).toBe(jobsBefore.length);
    // ifExists "refuse" said out loud is the same refusal
    expect((await post('import/start', { path: source, ifExists: 'refuse' })).status).toBe(409);

    const update = await post('import/start', { path: source, ifExists: 'update' });
    expect(update.status).toBe(200);
    const updated = await importedJob(update.body.jobId as string);
    expect(updated).toMatchObject({ state: 'completed', datasetId, counts: { imported: 0, duplicate: 4 } });

    const copy = await post('import/start', { path: source, ifExists: 'copy', name: 'cells again' });
    expect(copy.status).toBe(200);
    const copied = await importedJob(copy.body.jobId as string);
    expect(copied.state).toBe('completed');
    expect(copied.datasetId).not.toBe(datasetId);
  });
});
