/**
 * "Run on: this machine, PyTorch trainer" in a real browser against
 * `npm start`: a built-in synthetic task, 2 processes, Launch; the run page
 * shows the bundle's progress in the run's log, the live curves gain points,
 * the run completes like an app run, and Results shows its predictions. Skips with the reason where no
 * Python has torch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { findPythonTorch } from '../../main/cluster/pythonTorch';
import { launchChromium, screenshot, startApp, type StartedApp } from './browserHarness';

let reason = '';
try {
  findPythonTorch();
} catch (error) {
  reason = (error as Error).message;
  console.log(`skipping the Run on PyTorch browser test: ${reason}`);
}

let app: StartedApp;
let browser: Browser;
let page: Page;

describe.skipIf(!!reason)('Run on: the PyTorch trainer from the launch form', () => {
  beforeAll(async () => {
    app = await startApp();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(app.url);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('keeps a cluster profile in Settings, which Run on then offers', async () => {
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByLabel('Profile name').fill('lab hpc');
    await page.getByLabel('GPUs per node').fill('8');
    await page.getByLabel('SSH host').fill('me@login.lab');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect.poll(() => page.getByTestId('cluster-profiles').locator('tbody tr').count(), { timeout: 20_000 }).toBe(1);
    expect(await page.getByTestId('cluster-profiles').textContent()).toContain('me@login.lab');
    await screenshot(page, 'run-on-pytorch-00-profiles');
    await page.getByRole('link', { name: 'Pretraining', exact: true }).click();
    await expect.poll(() => page.getByLabel('Run on').locator('option').allTextContents(), { timeout: 20_000 }).toContain('cluster: lab hpc (slurm, 1 x 8 GPUs)');
  }, 120_000);

  it('launches on PyTorch with 2 processes and follows the run live to completion', async () => {
    await page.getByRole('link', { name: 'Pretraining', exact: true }).click();
    await page.getByRole('checkbox', { name: /cell-segmentation/ }).check();
    await page.getByLabel('Epochs').fill('1');
    const runOn = page.getByLabel('Run on');
    await expect.poll(() => runOn.locator('option[value="pytorch-local"]').isDisabled(), { timeout: 60_000 }).toBe(false);
    await runOn.selectOption('pytorch-local');
    await page.getByLabel('processes').fill('2');
    await page.getByLabel('Run name').fill('pytorch run');
    const launch = page.getByRole('button', { name: 'Launch' });
    await expect.poll(() => launch.isEnabled(), { timeout: 20_000 }).toBe(true);
    await screenshot(page, 'run-on-pytorch-01-form');
    await launch.click();
    await page.getByTestId('run-monitor').waitFor();
    const points = page.getByTestId('chart-points').first();
    await expect.poll(async () => Number(await points.textContent()), { timeout: 240_000 }).toBeGreaterThan(0);
    await screenshot(page, 'run-on-pytorch-02-live');
    await expect.poll(() => page.getByTestId('run-state').textContent(), { timeout: 240_000 }).toMatch(/completed|failed|interrupted/);
    expect(await page.getByTestId('run-state').textContent()).toBe('completed');
    await screenshot(page, 'run-on-pytorch-03-done');
  }, 600_000);

  it("shows the PyTorch run's predictions on the Results page like an app run's", async () => {
    await page.getByTestId('run-monitor').getByRole('link', { name: 'Results' }).click();
    await page.getByTestId('metric-table').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('prediction-item').count(), { timeout: 120_000 }).toBeGreaterThan(0);
    // segmentation results open in the error view over the stored image, as an app run's do
    await page.getByTestId('error-overlay').waitFor({ timeout: 30_000 });
    await page.locator('label', { hasText: 'Side by side' }).click();
    await expect.poll(() => page.getByTestId('mask-overlay').count()).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'run-on-pytorch-04-results');
  }, 300_000);
});
