import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decode, encode } from 'fast-png';
import { startServer, type RunningServer } from '../../../main/server/createServer';
import { createServiceContext, createServices, type ServiceContext } from '../../../main/services';
import { createMemorySettingsStore } from '../../../main/services/settingsStore';
import { thumbnailsRequestSchema } from '../../../shared/api/catalog';

let server: RunningServer;
let ctx: ServiceContext;

beforeAll(async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'umedpt-media-'));
  ctx = createServiceContext({ transport: 'server', appVersion: '1.0.0', settings: createMemorySettingsStore(), env: { UMEDPT_HOME: home } });
  const handlers = createServices(ctx);
  server = await startServer({ ctx, handlers, staticDir: null, port: 0 });
  // a 16-bit grey image with a mask, imported through the real import job
  const src = path.join(home, 'src');
  mkdirSync(path.join(src, 'images'), { recursive: true });
  mkdirSync(path.join(src, 'masks'), { recursive: true });
  const size = 64;
  const pixels = new Uint16Array(size * size).map((_, i) => (i % size) * 1000);
  writeFileSync(path.join(src, 'images', 'a.png'), encode({ width: size, height: size, data: pixels, depth: 16, channels: 1 }));
  const mask = new Uint8Array(size * size).map((_, i) => ((i % size) > 32 ? 1 : 0));
  writeFileSync(path.join(src, 'masks', 'a.png'), encode({ width: size, height: size, data: mask, depth: 8, channels: 1 }));
  const { jobId } = await handlers['import/start']({ path: src, name: 'media-test' });
  for (let i = 0; i < 600; i++) {
    const job = (await handlers['import/listJobs']({})).find((j) => j.jobId === jobId);
    if (job && job.state !== 'running') break;
    await new Promise((r) => setTimeout(r, 100));
  }
}, 120_000);

afterAll(async () => {
  await server?.close();
});

async function get(pathname: string, withToken = true) {
  const res = await fetch(`http://127.0.0.1:${server.port}${pathname}`, { headers: withToken ? { Authorization: `Bearer ${server.token}` } : {} });
  return { status: res.status, type: res.headers.get('content-type'), cache: res.headers.get('cache-control'), body: new Uint8Array(await res.arrayBuffer()) };
}

describe('media routes over the server transport', () => {
  it('serve a windowed PNG preview and the class-id mask of an imported image, only with the token', async () => {
    const handlers = createServices(ctx);
    const [dataset] = await handlers['catalog/listDatasets']({ includeDeleted: false });
    expect(dataset).toBeDefined();
    const images = await handlers['catalog/listImages']({ datasetId: dataset!.id, limit: 10 });
    const imageId = images.items[0]!.id;

    expect((await get(`/media/preview/${imageId}?maxSide=32`, false)).status).toBe(401);
    const preview = await get(`/media/preview/${imageId}?maxSide=32`);
    expect(preview.status).toBe(200);
    expect(preview.type).toBe('image/png');
    const decoded = decode(preview.body);
    expect(Math.max(decoded.width, decoded.height)).toBe(32);

    // a narrow window saturates most of the ramp: more white pixels than with the full range
    const narrow = decode((await get(`/media/preview/${imageId}?maxSide=64&windowCenter=5000&windowWidth=2000`)).body);
    const wide = decode((await get(`/media/preview/${imageId}?maxSide=64`)).body);
    const white = (img: typeof narrow) => Array.from(img.data as Uint8Array).filter((v, i) => i % img.channels === 0 && v === 255).length;
    expect(white(narrow)).toBeGreaterThan(white(wide));

    const mask = decode((await get(`/media/mask/${imageId}`)).body);
    expect(new Set(Array.from(mask.data as Uint8Array))).toEqual(new Set([0, 1]));

    // a preview named by content version may be cached for good; without it, or with a wrong one, not
    const sha = images.items[0]!.sha256;
    expect(preview.cache).toBe('no-store');
    const versioned = await get(`/media/preview/${imageId}?maxSide=32&v=${sha.slice(0, 16)}`);
    expect(versioned.status).toBe(200);
    expect(versioned.cache).toMatch(/max-age=\d+, immutable/);
    expect(versioned.body).toEqual(preview.body);
    const stale = await get(`/media/preview/${imageId}?maxSide=32&v=${'0'.repeat(16)}`);
    expect(stale.status).toBe(409);
    expect(stale.cache).toBe('no-store');
    expect((await get(`/media/preview/${imageId}?maxSide=32&v=xyz`)).status).toBe(409);

    // many thumbnails in one API answer: the same PNG as the route, a per-image error for a missing one
    const batch = await handlers['catalog/thumbnails']({ imageIds: [imageId, 999999], maxSide: 32 });
    expect(batch.items).toHaveLength(2);
    const first = batch.items[0]!;
    expect('png' in first && Buffer.from(first.png, 'base64')).toEqual(Buffer.from(preview.body));
    expect(batch.items[1]).toEqual({ imageId: 999999, error: expect.stringMatching(/no image 999999/) });
    expect(thumbnailsRequestSchema.safeParse({ imageIds: Array.from({ length: 257 }, (_, i) => i + 1) }).success).toBe(false);
    expect(thumbnailsRequestSchema.safeParse({ imageIds: [] }).success).toBe(false);

    expect((await get('/media/preview/999999')).status).toBe(404);
    expect((await get('/media/preview/abc')).status).toBe(400);
  });
});
