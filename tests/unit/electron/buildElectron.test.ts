import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM build script without type declarations
import { buildElectron } from '../../../scripts/buildElectron.js';

interface BuildOutput {
  file: string;
  requires: string[];
}

const repoRoot = path.resolve(import.meta.dirname, '../../..');
let appPath: string;
let built: Record<'main' | 'preload' | 'enginePreload' | 'trainingWorker' | 'toolWorker' | 'importWorker', BuildOutput>;
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
// bufferutil, utf-8-validate, encoding: optional packages required inside try/catch (scripts/buildElectron.js)
const externalPackage = /^(electron|better-sqlite3|@tensorflow\/|@resvg\/|@cornerstonejs\/|bufferutil$|utf-8-validate$|encoding$)/;

beforeAll(async () => {
  // A miniature packaged app: package.json, the bundles, a renderer build.
  appPath = mkdtempSync(path.join(os.tmpdir(), 'umedpt-bundle-'));
  writeFileSync(path.join(appPath, 'package.json'), JSON.stringify({ name: 'umedpt-studio', version: '7.7.7' }));
  mkdirSync(path.join(appPath, 'dist', 'renderer'), { recursive: true });
  writeFileSync(path.join(appPath, 'dist', 'renderer', 'index.html'), '<!doctype html><title>bundle smoke</title>');
  // as in the package: the externals come from the app's own node_modules
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(appPath, 'node_modules'), 'dir');
  built = await buildElectron({ root: repoRoot, outDir: path.join(appPath, 'dist', 'electron') });
});

describe('scripts/buildElectron.js', () => {
  it('bundles main to CJS, and the worker entries to ESM, requiring only externals and Node built-ins', () => {
    expect(built.main.file).toBe(path.join(appPath, 'dist', 'electron', 'main.cjs'));
    expect(built.main.requires).toContain('electron');
    for (const output of Object.values(built)) {
      const packages = output.requires.filter((name) => !builtins.has(name));
      for (const name of packages) expect(name, `${path.basename(output.file)} requires ${name}`).toMatch(externalPackage);
    }
    for (const worker of ['trainingWorker', 'toolWorker', 'importWorker'] as const) {
      expect(built[worker].file).toBe(path.join(appPath, 'dist', 'electron', `${worker}.js`));
      expect(built[worker].requires).not.toContain('electron');
    }
    const packages = built.main.requires.filter((name) => !builtins.has(name));
    // electron-store and conf are ESM-only: they must be inside the bundle, not required
    expect(packages).not.toContain('electron-store');
    expect(readFileSync(built.main.file, 'utf8')).toMatch(/electron-store-get-data/);
  });

  it('the preload bundle requires nothing but electron and runs in a bare sandbox context', () => {
    expect(built.preload.requires).toEqual(['electron']);
    const code = readFileSync(built.preload.file, 'utf8');
    const exposed: Array<{ key: string; api: Record<string, unknown> }> = [];
    const required: string[] = [];
    const fakeElectron = {
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.push({ key, api }) },
      ipcRenderer: { invoke: async () => ({ ok: true, value: 1 }), on() {}, removeListener() {} },
    };
    // Like Electron's sandboxed preload: a require that knows electron only, no process, no Buffer.
    const sandbox = vm.createContext({
      module: { exports: {} },
      require: (name: string) => {
        required.push(name);
        if (name === 'electron') return fakeElectron;
        throw new Error(`module not found: ${name}`);
      },
    });
    vm.runInContext(`(function (module, exports, require) {${code}\n})(module, module.exports, require)`, sandbox);
    expect(required).toEqual(['electron']);
    expect(exposed).toHaveLength(1);
    expect(exposed[0]!.key).toBe('umedpt');
    expect(Object.keys(exposed[0]!.api).sort()).toEqual(['call', 'mediaUrl', 'onEvent', 'saveFile']);
    expect((exposed[0]!.api.mediaUrl as (p: string) => string)('preview/1')).toBe('umedpt://app/media/preview/1');
  });

  it('the engine window: its preload requires only electron and only relays the port; the page is the bundled engine, no Node in it', () => {
    expect(built.enginePreload.requires).toEqual(['electron']);
    const listened: string[] = [];
    const posted: unknown[][] = [];
    const sandbox = vm.createContext({
      module: { exports: {} },
      postMessage: (...args: unknown[]) => posted.push(args),
      require: (name: string) => {
        if (name === 'electron') return { ipcRenderer: { on: (channel: string, listener: (event: unknown) => void) => (listened.push(channel), listener({ ports: ['the port'] })) } };
        throw new Error(`module not found: ${name}`);
      },
    });
    vm.runInContext(`(function (module, exports, require) {${readFileSync(built.enginePreload.file, 'utf8')}\n})(module, module.exports, require)`, sandbox);
    expect(listened).toEqual(['umedpt:engine-port']);
    expect(posted).toEqual([['umedpt:engine-port', 'umedpt://app', ['the port']]]);

    const page = path.join(appPath, 'dist', 'renderer', 'engine');
    expect(readFileSync(path.join(page, 'engine.html'), 'utf8')).toMatch(/<script src="engine.js"><\/script>/);
    const script = readFileSync(path.join(page, 'engine.js'), 'utf8');
    expect(script).toMatch(/umedptEngine/);
    expect(script).not.toMatch(/require\("(node:)?(fs|child_process|path)"\)/);
  });

  it('main.cjs boots against a fake electron: window, protocol, checked IPC, real electron-store, clean quit', () => {
    const home = path.join(appPath, 'home');
    const stdout = execFileSync(process.execPath, [path.join(import.meta.dirname, 'bundleHarness.mjs'), built.main.file, appPath], {
      env: { ...process.env, UMEDPT_HOME: home, UMEDPT_BACKEND: '' },
      encoding: 'utf8',
      timeout: 170_000,
    });
    const report = JSON.parse(stdout);
    expect(report.errorBox).toBeUndefined();
    expect(report.sandbox).toBe(true);
    expect(report.privileged).toEqual([{ scheme: 'umedpt', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);
    expect(report.protocolScheme).toBe('umedpt');
    expect(report.windows).toHaveLength(1);
    expect(report.windows[0].urls).toEqual(['umedpt://app/index.html']);
    expect(report.windows[0].webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      preload: path.join(appPath, 'dist', 'electron', 'preload.cjs'),
    });
    // the API and the save dialog are the IPC channels: electron-store's sync channel was opened and closed again
    expect(report.ipcChannels).toEqual(['umedpt:api-call', 'umedpt:save-file']);
    expect(report.saveDialog).toMatchObject({ defaultPath: 'report.csv', filters: [{ extensions: ['csv'] }] });
    expect(report.saved).toEqual({ saved: true, path: path.join(appPath, 'saved', 'report.csv') });
    expect(readFileSync(path.join(appPath, 'saved', 'report.csv'), 'utf8')).toBe('a,b\n1,2\n');
    expect(report.ipcOnChannels).toEqual(['electron-store-get-data']);
    expect(report.removedIpcListeners).toEqual(['electron-store-get-data']);
    // import.meta.url survived bundling: the version comes from the app's package.json
    expect(report.info).toMatchObject({ ok: true, value: { appVersion: '7.7.7', transport: 'electron', dataDir: home } });
    expect(report.setTheme).toMatchObject({ ok: true, value: { theme: 'dark' } });
    expect(report.badTheme).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(report.foreign.thrown).toMatch(/IPC call refused/);
    expect(report.page).toMatchObject({ status: 200, text: '<!doctype html><title>bundle smoke</title>' });
    expect(report.page.csp).toContain("script-src 'self'");
    expect(report.traversal).toBe(403);
    expect(report.newWindow).toEqual({ action: 'deny' });
    expect(report.permissionCheck).toBe(false);
    expect(report.quit).toEqual({ prevented: true, quitCalls: 1 });
    // the import manager started the bundled ESM import worker as a utility process (no fork of
    // the Electron binary: runAsNode is off) and it imported the files
    expect(report.importStart).toMatchObject({ ok: true });
    expect(report.utilityForks).toEqual([{ module: 'importWorker.js', serviceName: 'UMedPT Studio import worker' }]);
    expect(report.importFinished).toMatchObject({ state: 'completed', counts: { imported: 4 } });
    // electron-store wrote the very settings.json the CLI reads
    expect(JSON.parse(readFileSync(path.join(home, 'settings.json'), 'utf8'))).toMatchObject({ theme: 'dark' });
  }, 180_000);
});
