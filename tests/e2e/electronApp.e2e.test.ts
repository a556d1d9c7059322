/**
 * The real desktop app, launched with playwright's Electron support where an
 * Electron binary exists (ELECTRON_OVERRIDE_DIST_PATH, the folder holding the
 * `electron` executable, as the release workflow sets it) and the app is built
 * (`npm run build`). It opens its window, the status bar names the engine, and
 * the webgpu line says why Dawn is not used inside Electron. Here (no Electron
 * binary) it skips with the reason.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { _electron } from 'playwright-core';
import { repoRoot } from './browserHarness';

const distPath = process.env.ELECTRON_OVERRIDE_DIST_PATH;
const executable = distPath ? path.join(distPath, process.platform === 'win32' ? 'electron.exe' : process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron') : null;
const mainBundle = path.join(repoRoot, 'dist', 'electron', 'main.cjs');

describe('the desktop app (real Electron)', () => {
  it('starts, and its status bar names the engine and why webgpu runs differently there', async (ctx) => {
    if (!executable || !existsSync(executable)) {
      const reason = `no Electron binary (set ELECTRON_OVERRIDE_DIST_PATH to the folder holding it; ${distPath ? `${executable} is missing` : 'unset here'})`;
      console.log(`skipped: ${reason}`);
      return ctx.skip(reason);
    }
    if (!existsSync(mainBundle)) throw new Error(`${mainBundle} is missing: run npm run build first`);
    const home = mkdtempSync(path.join(os.tmpdir(), 'umedpt-electron-e2e-'));
    const app = await _electron.launch({ executablePath: executable, args: [repoRoot, '--no-sandbox'], env: { ...process.env, UMEDPT_HOME: home } as Record<string, string> });
    try {
      const window = await app.firstWindow();
      const engine = window.getByTestId('engine-backend');
      await expect.poll(async () => (await engine.textContent()) ?? '', { timeout: 60_000 }).toMatch(/Engine: (wasm|tensorflow|tensorflow-gpu|cpu|webgpu)/);
      const title = (await engine.getAttribute('title')) ?? '';
      console.log(`status bar: ${await engine.textContent()}\n${title}`);
      expect(title).toMatch(/webgpu: .*Electron/);
    } finally {
      await app.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
