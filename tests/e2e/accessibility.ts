/**
 * axe-core (WCAG 2 A and AA rules) run inside the page under test. Its source
 * is evaluated through the DevTools protocol, which the app's Content
 * Security Policy (no inline scripts) does not govern.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One line per violating node: rule, the element, and axe's summary of what to fix. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const loaded = await page.evaluate<boolean>('typeof window.axe !== "undefined"');
  if (!loaded) await page.evaluate(axeSource);
  const violations = await page.evaluate<Array<{ id: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }>>(
    `window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })))`,
  );
  return violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${JSON.stringify(n.target)} ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 200)}`));
}
