import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { launchChromium, screenshot, startApp, type StartedApp } from './browserHarness';

let app: StartedApp;
let browser: Browser;

beforeAll(async () => {
  app = await startApp();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('app shell in browser mode', () => {
  it('npm start prints a loopback URL with a token', () => {
    expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{24,}$/);
  });

  it('refuses the page without the token', async () => {
    const page = await browser.newPage();
    const response = await page.goto(app.url.replace(/\?token=.*/, ''));
    expect(response?.status()).toBe(401);
    await page.close();
  });

  it('loads with the token, shows the selected engine backend and every page', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url);
    const backend = page.getByTestId('engine-backend');
    await expect.poll(async () => backend.textContent(), { timeout: 20_000 }).toMatch(/Engine: (wasm|cpu|tensorflow|tensorflow-gpu)/);
    // the token leaves the address bar once the page has it
    expect(page.url()).not.toContain('token=');
    for (const name of ['Datasets', 'Tasks', 'Pretraining', 'Results', 'Evaluate', 'Settings']) {
      await page.getByRole('link', { name, exact: true }).click();
      await expect.poll(async () => page.locator('main h1').first().textContent()).toContain(name);
    }
    await page.getByLabel('Theme').selectOption('dark');
    await expect.poll(async () => page.locator('html').getAttribute('data-theme')).toBe('dark');
    // the page says what the next run trains on and why; the setting changes it (no hardware adapter here: never webgpu)
    const nextRun = page.getByTestId('next-run-backend');
    await expect.poll(async () => nextRun.textContent()).toMatch(/trains on (wasm|tensorflow|tensorflow-gpu): automatic: first usable in order tensorflow-gpu > webgpu \(hardware adapter\)/);
    await page.getByLabel('Default engine backend').selectOption('cpu');
    await expect.poll(async () => nextRun.textContent()).toBe('The next run (unless its own config names a backend) trains on cpu: forced to cpu by the setting "Default engine backend"');
    await expect.poll(async () => backend.textContent()).toMatch(/^Engine: cpu \(forced to cpu by the setting/);
    await page.getByLabel('Default engine backend').selectOption('auto');
    await expect.poll(async () => nextRun.textContent()).toMatch(/trains on (wasm|tensorflow|tensorflow-gpu): automatic/);
    const file = await screenshot(page, 'shell-settings');
    expect(existsSync(file)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});
