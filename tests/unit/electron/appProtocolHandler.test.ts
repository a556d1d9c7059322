import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAppProtocolHandler } from '../../../main/electron/appProtocolHandler';
import { contentSecurityPolicy } from '../../../main/electron/contentSecurityPolicy';
import { resolveRendererFile } from '../../../main/electron/rendererFiles';

/** A fake build: <tmp>/dist/renderer with index.html and an asset, and a secret beside it. */
function rendererBuild() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'umedpt-protocol-'));
  const rendererDir = path.join(root, 'dist', 'renderer');
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>UMedPT Studio</title><script type="module" src="/assets/app.js"></script>');
  writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("app")');
  writeFileSync(path.join(root, 'dist', 'secret.txt'), 'SECRET-OUTSIDE-RENDERER');
  writeFileSync(path.join(root, 'secret.txt'), 'SECRET-AT-ROOT');
  const mediaCalls: Array<{ path: string; params: Record<string, string> }> = [];
  const handler = createAppProtocolHandler({
    rendererDir,
    media: async (mediaPath, params) => {
      mediaCalls.push({ path: mediaPath, params: Object.fromEntries(params) });
      if (mediaPath.startsWith('preview/')) return { status: 200, mime: 'image/png', body: new Uint8Array([137, 80, 78, 71]) };
      return { status: 404, mime: 'text/plain; charset=utf-8', body: `no media route "${mediaPath}"` };
    },
  });
  const get = (url: string, method = 'GET') => handler(new Request(url, { method }));
  return { root, rendererDir, get, mediaCalls };
}

describe('umedpt:// protocol handler', () => {
  it('serves index.html and assets of the renderer with types, nosniff and the CSP', async () => {
    const { get } = rendererBuild();
    const page = await get('umedpt://app/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>UMedPT Studio</title>');
    const script = await get('umedpt://app/assets/app.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log("app")');
    expect(await (await get('umedpt://app/')).text()).toContain('UMedPT Studio');
  });

  it('client-side routes fall back to index.html, missing assets are 404', async () => {
    const { get } = rendererBuild();
    const route = await get('umedpt://app/datasets/42');
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('UMedPT Studio');
    expect((await get('umedpt://app/assets/missing.js')).status).toBe(404);
  });

  it.each([
    'umedpt://app/..%2fsecret.txt',
    'umedpt://app/..%2F..%2Fsecret.txt',
    'umedpt://app/assets/..%5c..%5csecret.txt',
    'umedpt://app/%2e%2e%2f%2e%2e%2fsecret.txt',
    'umedpt://app/C:%5cWindows%5cwin.ini',
    'umedpt://app/assets%00/app.js',
    'umedpt://app/%E0%A4%A',
  ])('refuses path traversal and odd paths: %s', async (url) => {
    const { get } = rendererBuild();
    const response = await get(url);
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('SECRET');
  });

  it.each(['umedpt://app/../../secret.txt', 'umedpt://app/%2e%2e/secret.txt', 'umedpt://app/assets/%2E%2E/%2E%2E/secret.txt'])(
    'dot segments the URL parser resolves stay inside the renderer: %s',
    async (url) => {
      const { get } = rendererBuild();
      const response = await get(url);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('SECRET');
    },
  );

  it('routes umedpt://app/media/* to the media service with its query', async () => {
    const { get, mediaCalls } = rendererBuild();
    const preview = await get('umedpt://app/media/preview/img-7?maxSide=256');
    expect(preview.status).toBe(200);
    expect(preview.headers.get('content-type')).toBe('image/png');
    expect(preview.headers.get('cache-control')).toBe('no-store');
    expect(new Uint8Array(await preview.arrayBuffer())).toEqual(new Uint8Array([137, 80, 78, 71]));
    expect(mediaCalls).toEqual([{ path: 'preview/img-7', params: { maxSide: '256' } }]);
    const missing = await get('umedpt://app/media/nothing/1');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('no media route');
  });

  it('refuses other hosts and methods other than GET/HEAD', async () => {
    const { get, mediaCalls } = rendererBuild();
    expect((await get('umedpt://evil/index.html')).status).toBe(404);
    expect((await get('umedpt://media/preview/img-7')).status).toBe(404);
    expect((await get('umedpt://app/index.html', 'POST')).status).toBe(405);
    expect((await get('umedpt://app/index.html', 'HEAD')).status).toBe(200);
    expect(mediaCalls).toEqual([]);
  });
});

describe('resolveRendererFile', () => {
  it('maps paths inside the root and refuses ".." segments outright', () => {
    const root = path.resolve('/srv/renderer');
    expect(resolveRendererFile(root, '/')).toEqual({ ok: true, file: path.join(root, 'index.html') });
    expect(resolveRendererFile(root, '/assets/a%20b.js')).toEqual({ ok: true, file: path.join(root, 'assets', 'a b.js') });
    expect(resolveRendererFile(root, '/./assets//x.css')).toEqual({ ok: true, file: path.join(root, 'assets', 'x.css') });
    const refused = resolveRendererFile(root, '/assets/../index.html');
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.reason).toMatch(/traversal/);
  });
});
