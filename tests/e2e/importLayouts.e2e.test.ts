/**
 * The import wizard on a retinal-vessel style tree (train/ and test/ each with
 * images/, manual/ and a field-of-view mask/): it asks which folder holds the
 * labels, shows the image/mask pairs before importing, keeps the publisher's
 * split, and offers update or copy when the same source comes again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot, startApp, type StartedApp } from './browserHarness';
import { accessibilityViolations } from './accessibility';
import { writeVesselLayout } from '../unit/importers/layoutFixtures';

let app: StartedApp;
let browser: Browser;
let page: Page;
let root: string;
let source: string;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'umedpt-e2e-layouts-'));
  source = path.join(root, 'vessels');
  writeVesselLayout(source, { extraMaskFolder: 'mask' });
  app = await startApp();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // the first visit carries the token; later hash routes reuse it
  await page.goto(app.url);
  await page.getByRole('link', { name: 'Datasets', exact: true }).waitFor();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  rmSync(root, { recursive: true, force: true });
});

async function detect(): Promise<void> {
  await page.goto(`${new URL(app.url).origin}/#/datasets/import`);
  await page.getByLabel('Folder or file on this computer').fill(source);
  await page.getByRole('button', { name: 'Detect format' }).click();
}

describe('import wizard: images with masks under other names', () => {
  it('asks which folder holds the labels, shows the pairs, and imports with the publisher split', async () => {
    await detect();
    const choice = page.getByTestId('mask-folder-choice');
    await choice.waitFor({ timeout: 30_000 });
    expect(await choice.getByRole('button').allTextContents()).toEqual(['manual/', 'mask/']);
    await choice.getByRole('button', { name: 'manual/' }).click();
    await expect.poll(() => page.getByTestId('detected-format').textContent(), { timeout: 30_000 }).toMatch(/segmentation masks/);
    const pairs = page.getByTestId('import-pairs');
    expect(await pairs.locator('summary').textContent()).toMatch(/8 image\/mask pairs/);
    await pairs.locator('summary').click();
    expect(await pairs.locator('tbody tr').count()).toBe(8);
    expect(await pairs.locator('tbody').textContent()).toContain('train/manual/21_manual1.png');
    const chips = (await page.getByTestId('import-preview').locator('.split-chip').allTextContents()).join(' ');
    expect(chips).toMatch(/test 3/);
    await screenshot(page, 'import-layouts-pairs');
    expect(await accessibilityViolations(page), 'pairs preview').toEqual([]);
    await page.getByRole('button', { name: /^Import 8 items$/ }).click();
    await page.getByTestId('import-report').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('count-imported').textContent(), { timeout: 60_000 }).toMatch(/^8 imported/);
  });

  it('the same source again offers new-or-changed files or a copy instead of a silent second dataset', async () => {
    await detect();
    await page.getByTestId('mask-folder-choice').getByRole('button', { name: 'manual/' }).click();
    const already = page.getByTestId('already-imported');
    await already.waitFor({ timeout: 30_000 });
    expect(await already.textContent()).toMatch(/in the catalog already as dataset #1/);
    await already.getByRole('button', { name: /Import only new or changed files/ }).click();
    await page.getByTestId('import-report').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('count-imported').textContent(), { timeout: 60_000 }).toMatch(/^0 imported/);
    expect(await page.getByTestId('report-table').textContent()).toContain('unchanged since it was imported');
  });
});
