/**
 * Refreshes the README's screenshots in docs/screenshots/ from the real app
 * (browser mode, Debian chromium), on the real samples the app ships:
 * "Try the demo" on an empty catalog (BCCD, ISBI-2012, RetinaMNIST imported,
 * a 60-step run on their three tasks), the finished run, then its results
 * over the stored images at full resolution: the ISBI-2012 segmentation in
 * the error view (512 x 512) and BCCD boxes at a score threshold (640 x 480,
 * letterboxed for the model and mapped back); and the BCCD dataset in the
 * browser. Takes a few minutes.
 *   npx tsx tests/e2e/docsScreenshots.ts
 */
import { launchChromium, repoRoot, startApp } from './browserHarness';
import { writeDocsScreenshot } from './paletteScreenshot';

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** The prediction viewer (the overlay over the stored image) at the top of the window, the gallery beside it. */
async function showViewer(): Promise<void> {
  await page.locator('.results-split').evaluate((el) => (el as unknown as { scrollIntoView(o: object): void }).scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(1500);
}

const app = await startApp();
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const shot = async (name: string) => console.log(writeDocsScreenshot(repoRoot, name, await page.screenshot()));
try {
  await page.goto(app.url);
  await page.getByRole('button', { name: 'Try the demo' }).click({ timeout: 60_000 });
  await page.getByTestId('run-monitor').waitFor({ timeout: 180_000 });
  await until(async () => (await page.getByTestId('run-state').textContent()) === 'completed', 900_000, 'the demo run to complete');
  await page.waitForTimeout(1500);
  await shot('pretraining');

  await page.getByTestId('run-monitor').getByRole('link', { name: 'Results' }).click();
  await page.getByRole('tab', { name: /em-membranes/ }).click();
  await page.getByTestId('error-overlay').waitFor({ timeout: 180_000 });
  await showViewer();
  await shot('results');

  await page.getByRole('tab', { name: /bccd-boxes/ }).click();
  await until(async () => (await page.getByTestId('box').count()) > 0, 180_000, 'boxes over the stored image');
  await page.locator('label', { hasText: 'Overlaid' }).click();
  await showViewer();
  await shot('results-detection');

  await page.getByRole('link', { name: 'Datasets', exact: true }).click();
  await page.getByRole('link', { name: /BCCD/ }).first().click();
  await page.getByTestId('thumbnail').nth(2).click({ timeout: 30_000 });
  await page.waitForTimeout(2500);
  await shot('dataset-browser');
} finally {
  await browser.close();
  await app.stop();
}
