/**
 * Remote mode (`umedpt serve --host` other than loopback): every path the API takes is confined to the
 * allowed roots (default: the data folder), through the real server process; loopback is unchanged.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEntry, normalCall, repoRoot, startServe, type ServeProcess } from '../robustness/serveProcess';
import { tinyPng } from '../robustness/hostileFiles';

const base = mkdtempSync(path.join(tmpdir(), 'umedpt-roots-'));
const home = path.join(base, 'home');
const outside = path.join(base, 'outside');
const extraRoot = path.join(base, 'extra-root');

/** A classification folder (two classes, three PNGs each) the importer can detect. */
function writeImageFolder(dir: string): void {
  for (const cls of ['a', 'b']) {
    mkdirSync(path.join(dir, cls), { recursive: true });
    for (let i = 0; i < 3; i++) writeFileSync(path.join(dir, cls, `${i}.png`), tinyPng());
  }
}

type Answer = Awaited<ReturnType<typeof normalCall>>;
const call = (serve: ServeProcess, action: string, payload: unknown): Promise<Answer> => normalCall(serve.port, serve.token, action, payload, 60_000);

function expectForbidden(answer: Answer, named: string, roots: string[]): void {
  expect(answer.ok).toBe(false);
  expect(answer.error?.code).toBe('forbidden');
  expect(answer.error?.message).toContain(named);
  for (const root of roots) expect(answer.error?.message).toContain(root);
}

beforeAll(() => {
  mkdirSync(home, { recursive: true });
  writeImageFolder(path.join(home, 'inside-data'));
  writeImageFolder(path.join(outside, 'images'));
  writeImageFolder(path.join(extraRoot, 'images'));
  // a link inside the data folder to a folder outside it: the real path decides
  symlinkSync(path.join(outside, 'images'), path.join(home, 'link-out'));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('remote mode, default roots: the data folder only', () => {
  let serve: ServeProcess;
  beforeAll(async () => {
    serve = await startServe(home, ['--host', '0.0.0.0']);
  }, 90_000);
  afterAll(() => serve.stop());

  it('says at start which folders it may use', () => {
    expect(serve.output()).toContain(`file access confined to: ${home}`);
  });

  it('detects a folder inside the data folder', async () => {
    const answer = await call(serve, 'import/detect', { path: path.join(home, 'inside-data') });
    expect(answer.error).toBeUndefined();
    expect(answer.ok).toBe(true);
  }, 90_000);

  it('refuses import/detect and import/start of a folder outside, naming the path and the roots, and tells nothing of its existence', async () => {
    expectForbidden(await call(serve, 'import/detect', { path: path.join(outside, 'images') }), path.join(outside, 'images'), [home]);
    expectForbidden(await call(serve, 'import/start', { path: path.join(outside, 'images') }), path.join(outside, 'images'), [home]);
    expectForbidden(await call(serve, 'import/detect', { path: '/etc/passwd' }), '/etc/passwd', [home]);
    expectForbidden(await call(serve, 'import/detect', { path: path.join(outside, 'no-such-folder') }), 'no-such-folder', [home]);
    expectForbidden(await call(serve, 'import/detect', { path: `${home}/../outside/images` }), path.join(outside, 'images'), [home]);
  });

  it('refuses a symlink inside the data folder that leads outside', async () => {
    const answer = await call(serve, 'import/detect', { path: path.join(home, 'link-out') });
    expectForbidden(answer, path.join(outside, 'images'), [home]);
  });

  it('refuses relative paths', async () => {
    const answer = await call(serve, 'import/detect', { path: 'inside-data' });
    expect(answer.error?.code).toBe('invalid_request');
    expect(answer.error?.message).toMatch(/relative path/);
  });

  it('refuses export targets, encoders to start from, exported encoders and a data folder outside', async () => {
    expectForbidden(await call(serve, 'runs/exportEncoder', { runId: 'run-any', dir: path.join(outside, 'export') }), path.join(outside, 'export'), [home]);
    expectForbidden(await call(serve, 'runs/exportModel', { runId: 'run-any', dir: '/tmp/../root/.ssh' }), '/root/.ssh', [home]);
    expectForbidden(await call(serve, 'runs/validate', { config: { model: { initEncoderFrom: path.join(outside, 'encoder') } } }), path.join(outside, 'encoder'), [home]);
    const study = { name: 's', encoders: [{ kind: 'exported', dir: path.join(outside, 'encoder') }], task: { kind: 'classification', source: { kind: 'synthetic', variant: 'cell-type-classification' } } };
    const launched = await call(serve, 'eval/launch', { config: study });
    if (launched.error?.code === 'invalid_request') throw new Error(`the study config itself was refused: ${launched.error.message}`);
    expectForbidden(launched, path.join(outside, 'encoder'), [home]);
    expectForbidden(await call(serve, 'settings/set', { dataDir: outside }), outside, [home]);
  });

  it('answers 403 over HTTP too', async () => {
    const response = await fetch(`http://127.0.0.1:${serve.port}/api/import/detect`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${serve.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ path: path.join(outside, 'images') }),
    });
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.message).toContain('--allow-root');
  });
});

describe('remote mode with --allow-root', () => {
  let serve: ServeProcess;
  beforeAll(async () => {
    serve = await startServe(home, ['--host', '0.0.0.0', '--allow-root', extraRoot, '--allow-root', path.join(home, 'inside-data')]);
  }, 90_000);
  afterAll(() => serve.stop());

  it('uses every root given, and only those', async () => {
    expect((await call(serve, 'import/detect', { path: path.join(extraRoot, 'images') })).ok).toBe(true);
    expect((await call(serve, 'import/detect', { path: path.join(home, 'inside-data') })).ok).toBe(true);
    expectForbidden(await call(serve, 'import/detect', { path: path.join(outside, 'images') }), path.join(outside, 'images'), [extraRoot, path.join(home, 'inside-data')]);
  }, 90_000);
});

describe('loopback mode is unchanged', () => {
  let serve: ServeProcess;
  beforeAll(async () => {
    serve = await startServe(home);
  }, 90_000);
  afterAll(() => serve.stop());

  it('detects a folder anywhere and says nothing of roots', async () => {
    expect(serve.output()).not.toContain('file access confined');
    const answer = await call(serve, 'import/detect', { path: path.join(outside, 'images') });
    expect(answer.error).toBeUndefined();
    expect(answer.ok).toBe(true);
  }, 90_000);
});

it('refuses to start with an --allow-root that does not exist', async () => {
  const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, [cliEntry, 'serve', '--port', '0', '--host', '0.0.0.0', '--allow-root', path.join(base, 'missing')], { cwd: repoRoot, env: { ...process.env, UMEDPT_HOME: home } });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
  expect(result.code).not.toBe(0);
  expect(result.output).toContain(`${path.join(base, 'missing')}: no such folder`);
  expect(result.output).not.toContain('running at');
}, 60_000);
