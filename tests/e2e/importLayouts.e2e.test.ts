/**
 * The import wizard on a retinal-vessel style tree (train/ and test/ each with
 * images/, manual/ and a field-of-view mask/): it asks which folder holds the
 * labels, shows the image/mask pairs before importing, keeps the publisher's
 * split, and offers update or copy when the same source comes again; a
 * valid-region folder chosen among the folders beside the images, and the
 * class source of instance label images (type_map/), reach the request and
 * the dataset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot, startApp, type StartedApp } from './browserHarness';
import { accessibilityViolations } from './accessibility';
import { writeVesselLayout } from '../unit/importers/layoutFixtures';
import { encode } from 'fast-png';
import { writeFile, writePng } from '../unit/importers/generatedFixtures';
import { openCatalog } from '../../main/catalog/openCatalog';

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

async function detect(on = page): Promise<void> {
  await on.goto(`${new URL(app.url).origin}/#/datasets/import`);
  await on.getByLabel('Folder or file on this computer').fill(source);
  await on.getByRole('button', { name: 'Detect format' }).click();
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

  it('the valid-region folder is chosen among the folders beside the images, shown in the plan, sent as validRegionFolder and kept with the dataset', async () => {
    // a page of its own, so that its socket (and the requests it sends) is seen from the start
    const own = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const sent: string[] = [];
    own.on('websocket', (ws) => ws.on('framesent', (frame) => void (typeof frame.payload === 'string' && sent.push(frame.payload))));
    try {
      await own.goto(app.url);
      await own.getByRole('link', { name: 'Datasets', exact: true }).waitFor();
      await detect(own);
      await own.getByTestId('mask-folder-choice').getByRole('button', { name: 'manual/' }).click();
      await own.getByTestId('already-imported').waitFor({ timeout: 30_000 });
      const region = own.getByLabel('Valid-region folder');
      // before the choice: none, and the one other folder found beside the images
      expect(await region.locator('option').allTextContents()).toEqual(['None: every pixel is trained on and scored', 'mask/']);
      expect(await own.getByTestId('valid-region-preview').count()).toBe(0);
      await region.selectOption('mask');
      const shown = own.getByTestId('valid-region-preview');
      await shown.waitFor({ timeout: 30_000 });
      await expect.poll(() => shown.textContent(), { timeout: 30_000 }).toMatch(/Valid region from mask\/: 8 of 8 pairs have one/);
      const pairs = own.getByTestId('import-pairs');
      await pairs.locator('summary').click();
      expect(await pairs.locator('thead').textContent()).toContain('Valid region');
      expect(await pairs.locator('tbody').textContent()).toContain('train/mask/21_training_mask.png');
      expect(await accessibilityViolations(own), 'valid-region choice').toEqual([]);
      await own.getByTestId('already-imported').getByRole('button', { name: 'Import a second copy' }).click();
      await own.getByTestId('import-report').waitFor({ timeout: 60_000 });
      await expect.poll(() => own.getByTestId('count-imported').textContent(), { timeout: 60_000 }).toMatch(/^8 imported/);

      const start = sent.map((f) => JSON.parse(f) as { method?: string; params?: { options?: Record<string, unknown>; ifExists?: string } }).find((m) => JSON.stringify(m).includes('import/start'));
      expect(start, sent.join('\n')).toBeDefined();
      expect(JSON.stringify(start)).toMatch(/"validRegionFolder":"mask"/);
      expect(JSON.stringify(start)).toMatch(/"maskFolder":"manual"/);
      const catalog = openCatalog(app.home);
      try {
        const copies = catalog.listDatasets().filter((d) => d.sourcePath === source);
        expect(copies.map((d) => catalog.getDataset(d.id)?.options.validRegionFolder ?? null).sort()).toEqual(['mask', null]);
      } finally {
        catalog.close();
      }
    } finally {
      await own.close();
    }
  });

  it('instance labels with a type_map/ beside them: the plan names the class source, the wizard sends the chosen one, the dataset has the classes', async () => {
    const nuclei = path.join(root, 'nuclei');
    for (const [name, cells] of Object.entries({ a: [[300, 1], [301, 2]], b: [[7, 2]] })) {
      const ids = new Uint16Array(12 * 12);
      const types = new Uint8Array(12 * 12);
      cells.forEach(([id, type], k) => {
        for (let p = 0; p < 4; p++) {
          ids[(k * 4 + p) * 12 + 1] = id!;
          types[(k * 4 + p) * 12 + 1] = type!;
        }
      });
      writePng(path.join(nuclei, 'images', `${name}.png`), { width: 12, height: 12, seed: name.charCodeAt(0) });
      writeFile(path.join(nuclei, 'labels', `${name}.png`), encode({ width: 12, height: 12, channels: 1, depth: 16, data: ids }));
      writeFile(path.join(nuclei, 'type_map', `${name}.png`), encode({ width: 12, height: 12, channels: 1, depth: 8, data: types }));
    }
    writeFile(path.join(nuclei, 'classes.json'), JSON.stringify({ 0: 'background', 1: 'tumour', 2: 'immune' }));
    const own = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const sent: string[] = [];
    own.on('websocket', (ws) => ws.on('framesent', (frame) => void (typeof frame.payload === 'string' && sent.push(frame.payload))));
    try {
      await own.goto(app.url);
      await own.getByRole('link', { name: 'Datasets', exact: true }).waitFor();
      await own.goto(`${new URL(app.url).origin}/#/datasets/import`);
      await own.getByLabel('Folder or file on this computer').fill(nuclei);
      await own.getByRole('button', { name: 'Detect format' }).click();
      const note = own.getByTestId('instance-masks');
      await note.waitFor({ timeout: 30_000 });
      expect(await note.textContent()).toMatch(/a class per instance from type_map\//);
      const choice = own.getByLabel('Class of each instance');
      expect(await choice.locator('option').allTextContents()).toContain('class maps in type_map/');
      await choice.selectOption('type_map');
      await expect.poll(() => sent.some((f) => f.includes('import/detect') && f.includes('"instanceClasses":"type_map"')), { timeout: 30_000 }).toBe(true);
      await own.getByRole('button', { name: /^Import 2 items$/ }).click();
      await own.getByTestId('import-report').waitFor({ timeout: 60_000 });
      await expect.poll(() => own.getByTestId('count-imported').textContent(), { timeout: 60_000 }).toMatch(/^2 imported/);
      expect(sent.find((f) => f.includes('import/start'))).toMatch(/"instanceClasses":"type_map"/);
      const catalog = openCatalog(app.home);
      try {
        const dataset = catalog.listDatasets().find((d) => d.sourcePath === nuclei)!;
        expect(catalog.getDataset(dataset.id)?.classes.map((c) => c.name)).toEqual(['background', 'tumour', 'immune']);
      } finally {
        catalog.close();
      }
    } finally {
      await own.close();
    }
  });
});
