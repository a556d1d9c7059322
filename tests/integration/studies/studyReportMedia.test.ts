/**
 * A completed study's report files reach the page over the media route the
 * Evaluate page's export buttons read (then saved through the one save
 * helper): the HTML report as bytes (never served as a page), the CSV table,
 * the PNG plot. A real tiny study in its own process, through the services.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeServices, createServiceContext, createServices } from '../../../main/services';
import { handleMediaRequest } from '../../../main/services/media';
import { createMemorySettingsStore } from '../../../main/services/settingsStore';
import { evalJobManager } from '../../../main/services/studyRuntime';
import { evalConfigSchema } from '../../../shared/api/eval';

const home = mkdtempSync(path.join(os.tmpdir(), 'umedpt-study-media-'));
const ctx = createServiceContext({ transport: 'server', appVersion: '1', settings: createMemorySettingsStore(), env: { UMEDPT_HOME: home } });
const services = createServices(ctx);
afterAll(async () => {
  await closeServices(ctx);
  rmSync(home, { recursive: true, force: true });
});

const text = (body: Uint8Array | string) => (typeof body === 'string' ? body : new TextDecoder().decode(body));

describe('study report files over the media route', () => {
  it('answers 404 with a reason for a study that does not exist or a file that is not a report file', async () => {
    expect(await handleMediaRequest(ctx, 'eval/eval-nope/report.html', new URLSearchParams())).toMatchObject({ status: 404, body: expect.stringMatching(/eval-nope/) as unknown });
    expect(await handleMediaRequest(ctx, 'eval/eval-nope/config.json', new URLSearchParams())).toMatchObject({ status: 404, body: expect.stringMatching(/no study file "config.json".*report.html, results.csv, label-efficiency.png/) as unknown });
    expect(await handleMediaRequest(ctx, 'eval/eval-nope/..%2F..%2Fsettings.json', new URLSearchParams())).toMatchObject({ status: 404 });
  });

  it('serves the HTML report, the CSV table and the PNG plot of a completed study', async () => {
    const config = evalConfigSchema.parse({
      name: 'media',
      encoders: [{ kind: 'random', squeezerWidth: 16, label: 'random' }],
      task: { name: 'count', kind: 'classification', source: { kind: 'synthetic', variant: 'cell-count-classification', counts: { train: 16, test: 8 } } },
      fractions: [100],
      seeds: 1,
      inputSize: 32,
      linearEpochs: 10,
      backend: 'cpu',
    });
    const study = await services['eval/launch']({ config });
    // before it completed there is no report to hand out
    const early = await handleMediaRequest(ctx, `eval/${study.id}/report.html`, new URLSearchParams());
    expect(early.status).toBe(404);
    const done = await evalJobManager(ctx).waitFor(study.id);
    expect(done.state, done.error ?? '').toBe('completed');

    const html = await handleMediaRequest(ctx, `eval/${study.id}/report.html`, new URLSearchParams());
    expect(html).toMatchObject({ status: 200, mime: 'application/octet-stream' });
    expect(text(html.body)).toMatch(/^<!doctype html>/i);
    const csv = await handleMediaRequest(ctx, `eval/${study.id}/results.csv`, new URLSearchParams());
    expect(csv.mime).toMatch(/^text\/csv/);
    expect(text(csv.body).split('\n')[0]).toMatch(/^encoder,mode,fraction,seed/);
    const png = await handleMediaRequest(ctx, `eval/${study.id}/label-efficiency.png`, new URLSearchParams());
    expect(png.mime).toBe('image/png');
    expect(Array.from((png.body as Uint8Array).subarray(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]);
  }, 300_000);
});
