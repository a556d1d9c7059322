/**
 * The whole journey in a real browser against `npm start` (browser mode):
 * import generated datasets with the wizard, browse one, create tasks,
 * launch a short pretraining and watch its curves grow, then open Results and
 * find a segmentation result in the error view and boxes at a score threshold,
 * and export both. First, on a fresh catalog, "Try the demo" must land on a
 * live run. Every page is checked with axe-core (WCAG 2 A/AA) with data
 * loaded. Every step leaves a screenshot in tests/e2e/artifacts/. A failed
 * import must show its reasons.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { unzipSync } from 'fflate';
import { writeSyntheticDatasetToFolder, type WrittenSyntheticDataset } from '../../main/engine/data/syntheticFolder';
import { launchChromium, screenshot, startApp, type StartedApp } from './browserHarness';
import { accessibilityViolations } from './accessibility';

let app: StartedApp;
let browser: Browser;
let page: Page;
let data: WrittenSyntheticDataset;
let brokenDir: string;
/** validation images of the segmentation dataset, as the import preview planned them */
let segmentationVal = 0;
const pageErrors: string[] = [];
let downloadsDir: string;

/**
 * One number per thing: no raw metric key or id on the page, every metric name
 * carries its definition, and no table row names one metric twice.
 */
async function expectOneNumberPerThing(where: string): Promise<void> {
  const text = (await page.locator('main').textContent()) ?? '';
  expect(text.match(/\b(dice|iou)_\w+|\bmeanDice\b|\bmeanIou\b|\bbalancedAccuracy\b|\bmap50(95)?\b|\bmacroF1\b|\bdataset \d+\b|\bImage \d{3,}\b/g), where).toBeNull();
  const names = page.getByTestId('metric-name');
  for (let i = 0; i < (await names.count()); i++) expect((await names.nth(i).getAttribute('title'))?.length ?? 0, `${where}: definition of ${await names.nth(i).textContent()}`).toBeGreaterThan(20);
  const rows = await page.locator('main tr').evaluateAll((trs) =>
    trs.map((tr) => Array.from((tr as unknown as { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> }).querySelectorAll('[data-testid="metric-name"]'), (n) => n.textContent ?? '')),
  );
  for (const row of rows) expect(new Set(row).size, `${where}: a metric twice in one row: ${row.join(', ')}`).toBe(row.length);
}

/** Fails with every WCAG 2 A/AA violation axe finds on the page as it is now. */
async function expectAccessible(where: string): Promise<void> {
  expect(await accessibilityViolations(page), where).toEqual([]);
}

function taskDir(kind: 'segmentation' | 'detection' | 'classification'): string {
  const task = data.tasks.find((t) => t.kind === kind);
  if (!task) throw new Error(`no synthetic ${kind} task written`);
  return task.dir;
}

/** A folder whose files are all unreadable in different ways: the import must say why, per file. */
function writeBrokenFolder(root: string): string {
  const dir = path.join(root, 'broken-scans');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'not-really.png'), 'this is text, not a PNG');
  // a PNG signature followed by nothing: truncated
  writeFileSync(path.join(dir, 'truncated.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0]));
  writeFileSync(path.join(dir, 'empty.jpg'), Buffer.alloc(0));
  return dir;
}

beforeAll(async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'umedpt-journey-'));
  data = await writeSyntheticDatasetToFolder(path.join(root, 'synthetic'), { counts: { train: 24, val: 8, test: 8 }, seed: 7 });
  brokenDir = writeBrokenFolder(root);
  downloadsDir = path.join(root, 'downloads');
  mkdirSync(downloadsDir);
  app = await startApp();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(app.url);
  await page.getByRole('link', { name: 'Datasets', exact: true }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function importFolder(dir: string, expectFormat: RegExp, shot?: string, onPreview?: () => Promise<void>): Promise<void> {
  await page.goto(`${new URL(app.url).origin}/#/datasets/import`);
  await page.getByLabel('Folder or file on this computer').fill(dir);
  await page.getByRole('button', { name: 'Detect format' }).click();
  await expect.poll(() => page.getByTestId('detected-format').textContent(), { timeout: 20_000 }).toMatch(expectFormat);
  if (shot) await screenshot(page, shot);
  await onPreview?.();
  await page.getByRole('button', { name: /^Import \d+ items$/ }).click();
  await page.getByTestId('import-report').waitFor({ timeout: 60_000 });
}

describe('the workstation journey in a browser', () => {
  it('offers the demo on an empty catalog and lands on its live run', async () => {
    // a fresh data folder of its own: the rest of the journey starts from an empty catalog too
    const demoApp = await startApp();
    const demoPage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    demoPage.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await demoPage.goto(demoApp.url);
      const tryDemo = demoPage.getByRole('button', { name: 'Try the demo' });
      await tryDemo.waitFor({ timeout: 30_000 });
      expect(await accessibilityViolations(demoPage), 'empty catalog').toEqual([]);
      await tryDemo.click();
      await demoPage.getByTestId('demo-progress').waitFor();
      await screenshot(demoPage, 'journey-00-demo-importing');
      await demoPage.getByTestId('run-monitor').waitFor({ timeout: 120_000 });
      expect(demoPage.url()).toMatch(/#\/pretraining\/run-/);
      // the monitor shows the run's id until its summary (with the name) arrives
      await expect.poll(() => demoPage.getByTestId('run-monitor').textContent(), { timeout: 30_000 }).toContain('demo: real samples');
      // before the first step the monitor says what the worker is doing; then steps count up
      await expect.poll(async () => (await demoPage.getByTestId('run-phase').count()) > 0 || Number((await demoPage.getByTestId('run-step').textContent())?.split('/')[0]) > 0, { timeout: 60_000 }).toBe(true);
      await expect.poll(async () => Number((await demoPage.getByTestId('run-step').textContent())?.split('/')[0]), { timeout: 180_000 }).toBeGreaterThan(0);
      await screenshot(demoPage, 'journey-01-demo-live-run');
      expect(await accessibilityViolations(demoPage), 'demo run monitor').toEqual([]);
      // cancelling asks first
      await demoPage.getByRole('button', { name: 'Cancel run' }).click();
      await demoPage.getByRole('button', { name: 'Yes, cancel the run' }).click();
      await expect.poll(() => demoPage.getByTestId('run-state').textContent(), { timeout: 60_000 }).toMatch(/cancelled|completed/);
    } finally {
      await demoPage.close();
      await demoApp.stop();
    }
  });

  it('imports a segmentation dataset with the wizard and shows the per-file report', async () => {
    await expect.poll(() => page.getByText('No datasets yet.').count(), { timeout: 20_000 }).toBe(1);
    await importFolder(taskDir('segmentation'), /segmentation masks/, 'journey-01-import-preview', async () => {
      segmentationVal = Number(/val (\d+)/.exec((await page.getByTestId('import-preview').locator('.split-chip').allTextContents()).join(' '))?.[1]);
    });
    expect(segmentationVal).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('count-imported').textContent()).toMatch(/^40 imported/);
    await screenshot(page, 'journey-02-import-report');
  });

  it('browses the dataset: statistics, thumbnails, and the viewer with a mask overlay', async () => {
    await page.getByRole('link', { name: 'Open dataset' }).click();
    await page.getByTestId('dataset-statistics').waitFor();
    await expect.poll(() => page.getByTestId('thumbnail').count(), { timeout: 20_000 }).toBeGreaterThan(10);
    await expect.poll(() => page.getByTestId('image-total').textContent()).toBe('40 images');
    await page.getByLabel('Split', { exact: true }).selectOption('val');
    await expect.poll(() => page.getByTestId('image-total').textContent()).toBe(`${segmentationVal} images`);
    await page.getByTestId('thumbnail').first().click();
    await expect.poll(() => page.getByTestId('mask-overlay').first().getAttribute('data-ready'), { timeout: 20_000 }).toBe('true');
    // every thumbnail and the preview decoded (naturalWidth 0 means a broken image)
    await expect.poll(() => page.locator('.thumb img').evaluateAll((imgs) => (imgs as unknown as Array<{ complete: boolean; naturalWidth: number }>).filter((i) => i.complete && i.naturalWidth === 0).length)).toBe(0);
    await screenshot(page, 'journey-03-dataset-browser');
  });

  it('imports a COCO detection dataset', async () => {
    await importFolder(taskDir('detection'), /COCO/);
    await expect.poll(() => page.getByTestId('count-imported').textContent()).toMatch(/^40 imported/);
    await page.getByRole('link', { name: 'Back to datasets' }).click();
    await expect.poll(() => page.locator('.datasets-table tbody tr').count()).toBe(2);
    await screenshot(page, 'journey-03b-dataset-list');
  });

  it('shows why an import cannot start, and which files were skipped and why', async () => {
    await page.goto(`${new URL(app.url).origin}/#/datasets/import`);
    await page.getByLabel('Folder or file on this computer').fill(path.join(brokenDir, 'does-not-exist'));
    await page.getByRole('button', { name: 'Detect format' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'cannot be imported' });
    await expect.poll(() => alert.textContent(), { timeout: 20_000 }).toMatch(/no such file or folder/);
    await screenshot(page, 'journey-04-import-error');

    await importFolder(brokenDir, /Plain images/);
    await expect.poll(() => page.getByTestId('count-skipped').textContent()).toMatch(/^3 skipped/);
    const table = page.getByTestId('report-table');
    for (const name of ['not-really.png', 'truncated.png', 'empty.jpg']) await expect.poll(() => table.textContent()).toContain(name);
    // each skipped row carries a reason, not just a status
    const reasons = await table.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(reasons).toHaveLength(3);
    for (const r of reasons) expect(r.trim().length).toBeGreaterThan(5);
    await screenshot(page, 'journey-05-import-skipped');
  });

  it('creates tasks from the datasets', async () => {
    await page.getByRole('link', { name: 'Tasks', exact: true }).click();
    for (const kind of ['segmentation', 'detection'] as const) {
      await page.getByRole('button', { name: 'New task from a dataset…' }).click();
      const option = page.locator('#task-dataset option').filter({ hasText: `(${kind},` });
      await page.getByLabel('Dataset').selectOption({ label: (await option.textContent())!.trim() });
      await page.getByLabel('Task name').fill(`cells-${kind}`);
      // a name clash or an emptied class list is reported where it happens
      const save = page.getByRole('button', { name: 'Save task' });
      await expect.poll(() => save.isEnabled(), { timeout: 20_000 }).toBe(true);
      if (kind === 'segmentation') await screenshot(page, 'journey-06-task-editor');
      await save.click();
    }
    await expect.poll(() => page.getByTestId('task-table').locator('tbody tr').count()).toBe(2);
    await screenshot(page, 'journey-07-tasks');
  });

  it('launches a short pretraining and watches the curves gain points', async () => {
    await page.getByRole('link', { name: 'Pretraining', exact: true }).click();
    await page.getByRole('checkbox', { name: /cells-segmentation/ }).check();
    await page.getByRole('checkbox', { name: /cells-detection/ }).check();
    // one epoch: 4 steps per task on 28 training images, then a validation
    await page.getByLabel('Epochs').fill('1');
    await page.getByLabel('Run name').fill('journey run');
    const launch = page.getByRole('button', { name: 'Launch' });
    await expect.poll(() => launch.isEnabled(), { timeout: 20_000 }).toBe(true);
    await screenshot(page, 'journey-08-launch-form');
    await launch.click();
    await page.getByTestId('run-monitor').waitFor();
    const points = page.getByTestId('chart-points').first();
    const state = page.getByTestId('run-state');
    // a run that fails must fail the test at once, with the run's own reason
    const outcome = async () => ((await state.textContent()) === 'failed' ? `failed: ${await page.getByTestId('run-monitor').getByRole('alert').allTextContents()}` : Number(await points.textContent()) > 0 ? 'points' : 'waiting');
    await expect.poll(outcome, { timeout: 120_000 }).toMatch(/^(points|failed)/);
    expect(await outcome()).toBe('points');
    const first = Number(await points.textContent());
    await expect.poll(async () => Number(await points.textContent()), { timeout: 120_000 }).toBeGreaterThan(first);
    await screenshot(page, 'journey-09-training-live');
    await expect.poll(() => page.getByTestId('run-state').textContent(), { timeout: 180_000 }).toMatch(/completed|failed/);
    expect(await page.getByTestId('run-state').textContent()).toBe('completed');
    await screenshot(page, 'journey-10-training-done');
  });

  it('shows predictions next to ground truth: a segmentation overlay and boxes', async () => {
    await page.getByTestId('run-monitor').getByRole('link', { name: 'Results' }).click();
    await page.getByTestId('metric-table').waitFor({ timeout: 30_000 });
    await page.getByRole('tab', { name: /cells-segmentation/ }).click();
    await expect.poll(() => page.getByTestId('prediction-item').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    // the error view over the stored image: hits, false alarms and misses with their pixel counts
    await page.getByTestId('error-overlay').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('error-view-legend').textContent()).toMatch(/hit \(TP\) [\d,]+ px.*false alarm \(FP\) [\d,]+ px.*missed \(FN\) [\d,]+ px/);
    expect(await page.getByTestId('shown-checkpoint').textContent()).toMatch(/Predictions of the best checkpoint \(step \d+\)/);
    await screenshot(page, 'journey-11-results-segmentation');
    await expectAccessible('results, segmentation error view');
    const masks = page.waitForEvent('download');
    await page.getByRole('button', { name: /Export these masks/ }).click();
    const maskZip = await masks;
    expect(maskZip.suggestedFilename()).toMatch(/^cells-segmentation-val-best-step\d+-masks\.zip$/);
    await maskZip.saveAs(path.join(downloadsDir, 'masks.zip'));
    expect(readFileSync(path.join(downloadsDir, 'masks.zip')).subarray(0, 2).toString()).toBe('PK');
    // side by side: truth and prediction masks
    await page.locator('label', { hasText: 'Side by side' }).click();
    await expect.poll(() => page.getByTestId('mask-overlay').count()).toBeGreaterThanOrEqual(2);
    await expect.poll(() => page.getByTestId('mask-overlay').first().getAttribute('data-ready')).toBe('true');

    await page.getByRole('tab', { name: /cells-detection/ }).click();
    await expect.poll(() => page.getByTestId('prediction-item').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await page.getByTestId('detection-threshold').waitFor();
    await page.getByLabel('Score threshold').fill('0.05');
    expect(await page.getByTestId('detection-counts').textContent()).toMatch(/This image, at score ≥ 0\.05: \d+ found \(TP\) · \d+ false alarms \(FP\) · \d+ missed \(FN\)/);
    await expect.poll(() => page.getByTestId('box').count()).toBeGreaterThan(0);
    const totals = await page.getByTestId('detection-totals').textContent();
    await page.getByLabel('Score threshold').fill('0.95');
    await expect.poll(() => page.getByTestId('detection-totals').textContent()).not.toBe(totals);
    await page.getByLabel('Score threshold').fill('0.3');
    await screenshot(page, 'journey-12-results-detection');
    await expectAccessible('results, detection at a threshold');
    const boxes = page.waitForEvent('download');
    await page.getByRole('button', { name: /Export these boxes/ }).click();
    const coco = await boxes;
    await coco.saveAs(path.join(downloadsDir, 'boxes.json'));
    const cocoJson = JSON.parse(readFileSync(path.join(downloadsDir, 'boxes.json'), 'utf8')) as { images: unknown[]; categories: Array<{ name: string }>; annotations: Array<{ score: number }> };
    expect(cocoJson.images.length).toBeGreaterThan(0);
    expect(cocoJson.categories.length).toBeGreaterThan(0);
    expect(cocoJson.annotations.every((a) => a.score >= 0.3)).toBe(true);

    // the encoder with its model card: one zip through the same save helper (a download here)
    await page.getByText(/Export the best checkpoint/).click();
    const encoder = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export journey run-encoder.zip' }).click();
    const encoderZip = await encoder;
    expect(encoderZip.suggestedFilename()).toBe('journey run-encoder.zip');
    await encoderZip.saveAs(path.join(downloadsDir, 'encoder.zip'));
    const encoderEntries = Object.keys(unzipSync(new Uint8Array(readFileSync(path.join(downloadsDir, 'encoder.zip')))));
    expect(encoderEntries).toEqual(expect.arrayContaining(['model-card.json', 'umedpt-encoder.json', 'encoder/model.json', 'encoder/weights.bin']));
    expect(await page.getByTestId('export-done').textContent()).toMatch(/^Packed \d+ files into journey run-encoder\.zip .*best checkpoint, step \d+\), model card included\.$/);
  });

  it('states one number per thing with its scope, each metric defined one hover away, names instead of ids', async () => {
    // Results: the validation split's metrics once, in the table, with split, image count and checkpoint
    await page.getByRole('tab', { name: /cells-segmentation/ }).click();
    await expect.poll(() => page.getByTestId('prediction-item').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('metric-scope').textContent()).toMatch(/whole validation split \([^)]*\d+ images[^)]*\), at the run’s end \(step \d+, the latest checkpoint\)/);
    const scope = page.getByTestId('prediction-scope');
    expect(await scope.textContent()).toMatch(/^Validation split, all \d+ images, scored one by one below/);
    // the shown images of the validation split get no second set of validation numbers
    expect(await scope.getByTestId('metric-name').count()).toBe(0);
    await expectOneNumberPerThing('results, validation split');
    // the test split's numbers are a different thing, and say so
    await page.getByLabel('Images', { exact: true }).selectOption('test');
    await expect.poll(() => page.getByTestId('prediction-scope').textContent(), { timeout: 60_000 }).toMatch(/^Test split, all \d+ images, the best checkpoint \(step \d+\): mean Dice/);
    await expectOneNumberPerThing('results, test split');
    await page.getByLabel('Images', { exact: true }).selectOption('val');
  });

  it('runs a small label-efficiency study and exports its report as HTML, CSV and PNG', async () => {
    await page.goto(`${new URL(app.url).origin}/#/evaluate`);
    const form = page.getByRole('region', { name: 'New label-efficiency study' });
    await form.waitFor({ timeout: 20_000 });
    await form.getByRole('checkbox', { name: /journey run/ }).check();
    await page.getByLabel('Label fractions (%)').fill('50, 100');
    await page.getByLabel('Seeds per fraction').fill('1');
    await page.getByLabel('Study name').fill('journey study');
    await page.getByRole('button', { name: 'Launch study' }).click();
    await page.getByTestId('study-results').waitFor();
    await page.getByTestId('study-export').waitFor({ timeout: 300_000 });
    expect(await page.getByTestId('study-scope').textContent()).toMatch(/^balanced accuracy on the test split \(\d+ images\), mean ± standard deviation over seeds/);
    // the saving against random initialisation, stated per encoder and mode, or why none is stated
    const savings = await page.getByTestId('study-savings').locator('li').allTextContents();
    expect(savings.length).toBeGreaterThan(0);
    for (const line of savings) {
      expect(line).toMatch(/reaches random initialisation's 100 %-label score|does not reach random initialisation's 100 %-label score|^no meaningful baseline, so no saving is stated for /);
      expect(line).toMatch(/\((frozen|finetune)\)\. Gap at each fraction: 50 % .+ · 100 % /);
    }
    await expectOneNumberPerThing('evaluate, a completed study');
    await screenshot(page, 'journey-12b-study');
    await expectAccessible('evaluate, a completed study');
    const saved: Record<string, Buffer> = {};
    for (const [button, file] of [['Report (HTML)', 'report.html'], ['Table (CSV)', 'results.csv'], ['Plot (PNG)', 'plot.png']] as const) {
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: button }).click();
      const d = await download;
      expect(d.suggestedFilename()).toMatch(/^journey-study-(report\.html|results\.csv|label-efficiency\.png)$/);
      await d.saveAs(path.join(downloadsDir, file));
      saved[file] = readFileSync(path.join(downloadsDir, file));
    }
    expect(saved['report.html']!.toString('utf8')).toMatch(/^<!doctype html>/i);
    expect(saved['results.csv']!.toString('utf8').split('\n')[0]).toMatch(/^encoder,mode,fraction,seed/);
    expect(Array.from(saved['plot.png']!.subarray(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it('labels every form control and reaches the pages by keyboard', async () => {
    const origin = new URL(app.url).origin;
    const unlabelled = () =>
      page.$$eval('main input, main select, main textarea', (els) =>
        els
          .filter((el) => {
            // (tests compile without DOM types: the element's fields by shape)
            const e = el as unknown as { type: string; labels: ArrayLike<unknown> | null; getAttribute(name: string): string | null };
            return e.type !== 'hidden' && !(e.labels && e.labels.length > 0) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby');
          })
          .map((e) => (e as unknown as { outerHTML: string }).outerHTML.slice(0, 160)),
      );
    const views: Array<[string, (() => Promise<void>)?]> = [
      ['#/datasets'],
      ['#/datasets/import', async () => {
        await page.getByLabel('Folder or file on this computer').fill(taskDir('classification'));
        await page.getByRole('button', { name: 'Detect format' }).click();
        await page.getByTestId('import-preview').waitFor({ timeout: 20_000 });
      }],
      ['#/datasets/1', async () => {
        await page.getByTestId('thumbnail').first().click();
        await page.getByTestId('mask-overlay').first().waitFor();
      }],
      ['#/tasks', async () => {
        await page.getByRole('button', { name: 'New task from a dataset…' }).click();
        await page.getByLabel('Dataset').selectOption({ index: 1 });
        await page.getByLabel('Task name').waitFor();
      }],
      ['#/pretraining', async () => {
        await page.getByRole('button', { name: 'New run…' }).click();
        await page.getByLabel('Encoder').waitFor();
      }],
      ['#/results'],
      ['#/evaluate'],
      ['#/settings'],
    ];
    for (const [hash, open] of views) {
      await page.goto(`${origin}/${hash}`);
      await page.locator('main h1').first().waitFor();
      await open?.();
      expect(await unlabelled(), hash).toEqual([]);
      await expectAccessible(hash);
    }
    // Tab from the top of the page walks the navigation, then the page's own controls
    await page.goto(`${origin}/#/datasets`);
    await page.reload();
    await page.locator('main h1').first().waitFor();
    const visited: string[] = [];
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('Tab');
      visited.push(await page.evaluate<string>("document.activeElement?.textContent?.trim() ?? ''"));
    }
    expect(visited).toEqual(expect.arrayContaining(['Datasets', 'Tasks', 'Pretraining', 'Results', 'Evaluate', 'Settings', 'Import dataset…']));
    // Enter on a focused navigation link changes the page
    await page.getByRole('link', { name: 'Tasks', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('main h1').first().textContent()).toBe('Tasks');

    // the dark theme, for a look at contrast on the busiest pages
    await page.goto(`${origin}/#/settings`);
    await page.getByLabel('Theme').selectOption('dark');
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark');
    await page.goto(`${origin}/#/datasets/1`);
    await page.getByTestId('thumbnail').first().click();
    await page.getByTestId('mask-overlay').first().waitFor();
    await screenshot(page, 'journey-13-dark-dataset');
    await page.goto(`${origin}/#/pretraining`);
    await page.getByTestId('run-table').locator('a').first().click();
    await page.getByTestId('task-chart').first().waitFor();
    // the run's metrics stream in after the chart appears: wait for the best score rather than race it
    await expect.poll(async () => page.getByTestId('best-score').textContent(), { timeout: 30_000 }).toMatch(/^\d\.\d{3} at step \d+$/);
    await expectOneNumberPerThing('run monitor');
    await screenshot(page, 'journey-14-dark-pretraining');
    await expectAccessible('run monitor, dark theme');
    expect(pageErrors).toEqual([]);
  });
});
