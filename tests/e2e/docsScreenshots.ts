/**
 * Refreshes the README's screenshots in docs/screenshots/ from the real app
 * (browser mode, Debian chromium): a dataset imported with the wizard and
 * open in the browser, a finished 12-epoch pretraining on two built-in
 * synthetic tasks, and its segmentation results. Takes a few minutes.
 *   npx tsx tests/e2e/docsScreenshots.ts
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeSyntheticDatasetToFolder } from '../../main/engine/data/syntheticFolder';
import { launchChromium, repoRoot, startApp } from './browserHarness';
import { writeDocsScreenshot } from './paletteScreenshot';

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

const data = await writeSyntheticDatasetToFolder(path.join(mkdtempSync(path.join(os.tmpdir(), 'umedpt-docs-')), 'synthetic'), { counts: { train: 48, val: 12, test: 12 }, seed: 3 });
const segmentation = data.tasks.find((t) => t.kind === 'segmentation')!;
const app = await startApp();
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const shot = async (name: string) => console.log(writeDocsScreenshot(repoRoot, name, await page.screenshot()));
try {
  await page.goto(app.url);
  await page.goto(`${new URL(app.url).origin}/#/datasets/import`);
  await page.getByLabel('Folder or file on this computer').fill(segmentation.dir);
  await page.getByRole('button', { name: 'Detect format' }).click();
  await page.getByTestId('import-preview').waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: /^Import \d+ items$/ }).click();
  await page.getByRole('link', { name: 'Open dataset' }).click({ timeout: 60_000 });
  await page.getByTestId('thumbnail').nth(4).click({ timeout: 30_000 });
  await until(async () => (await page.getByTestId('mask-overlay').first().getAttribute('data-ready')) === 'true', 30_000, 'the mask overlay');
  await page.waitForTimeout(1500);
  await shot('dataset-browser');

  await page.getByRole('link', { name: 'Pretraining', exact: true }).click();
  await page.getByRole('checkbox', { name: /^cell-segmentation/ }).check();
  await page.getByRole('checkbox', { name: /^cell-detection/ }).check();
  await page.getByLabel('Epochs').fill('12');
  await page.getByLabel('Run name').fill('synthetic cells, 2 tasks');
  await until(() => page.getByRole('button', { name: 'Launch' }).isEnabled(), 20_000, 'a valid run config');
  await page.getByRole('button', { name: 'Launch' }).click();
  await until(async () => (await page.getByTestId('run-state').textContent()) === 'completed', 900_000, 'the run to complete');
  await page.waitForTimeout(1500);
  await shot('pretraining');

  await page.getByTestId('run-monitor').getByRole('link', { name: 'Results' }).click();
  await until(async () => (await page.getByTestId('prediction-item').count()) > 0, 120_000, 'predictions');
  await page.waitForTimeout(1500);
  await shot('results');
} finally {
  await browser.close();
  await app.stop();
}
