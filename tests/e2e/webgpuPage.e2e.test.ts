/**
 * The desktop app's engine window, without Electron: headless Debian
 * Chromium on its own WebGPU (SwiftShader here) loads the engine bundle
 * (main/engine/browser/engineWindow.ts, built by scripts/buildElectron.js's
 * buildEnginePage, as the app's engine window gets it) from a page on 127.0.0.1, trains the model with the engine's decoupled
 * step on three task types, and hands back its weights and predictions. The
 * weights are written as an engine checkpoint, read back in Node, loaded into
 * the same model on the cpu backend, and predict what the page predicted.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM build script without type declarations
import { buildEnginePage } from '../../scripts/buildElectron.js';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumPath, repoRoot } from './browserHarness';
import { initEngine } from '../../main/engine/backend/initEngine';
import { generateSyntheticTasks } from '../../main/engine/data/synthetic';
import { assembleBatch, type TaskBatch } from '../../main/engine/train/taskBatch';
import { createUmedptModel, type UmedptModelConfig } from '../../main/engine/model/umedptModel';
import { readCheckpointFiles, writeCheckpointFiles } from '../../main/engine/train/checkpointFiles';
import { assignModelWeights, modelWeightArrays } from '../../main/engine/browser/modelWeights';
import { predictTask } from '../../main/engine/train/prediction';
import type { EngineWindowApi, PageAdapter } from '../../main/engine/browser/engineWindow';
import { engineWindowPortMessage } from '../../main/engine/browser/engineWindowChannels';

const size = 32;
const tasks = generateSyntheticTasks({ size, counts: { train: 8, val: 4, test: 0 }, seed: 5 });
const config: UmedptModelConfig = {
  encoder: 'small-cnn',
  inputSize: size,
  squeezerWidth: 32,
  detectionWidth: 16,
  seed: 7,
  tasks: tasks.map((t) => ({ name: t.name, kind: t.kind, numClasses: t.classNames.length })),
};
const classification = tasks.find((t) => t.kind === 'classification')!;

/** plain arrays: what page.evaluate carries */
function plainBatch(batch: TaskBatch): unknown {
  return { ...batch, images: Array.from(batch.images), ...(batch.kind === 'segmentation' ? { masks: Array.from(batch.masks ?? []) } : {}) };
}

let server: Server;
let url = '';
let browser: Browser | null = null;
let page: Page;
let unavailable: string | null = null;
const dir = mkdtempSync(path.join(os.tmpdir(), 'umedpt-webgpu-page-'));

beforeAll(async () => {
  // the app's engine page: the same script and HTML the build writes to dist/renderer/engine
  const { script, html } = (await buildEnginePage({ root: repoRoot, logLevel: 'error' })) as { script: Uint8Array; html: string };
  server = createServer((req, res) => {
    if (req.url === '/engine.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage();
  page.on('console', (m) => console.log(`page: ${m.text()}`));
  await page.goto(url);
  try {
    const started = await page.evaluate(() => (globalThis as unknown as { umedptEngine: EngineWindowApi }).umedptEngine.start());
    console.log(`page engine on ${started.backend}: ${JSON.stringify(started.adapter)}`);
  } catch (err) {
    unavailable = `Chromium offers no WebGPU here: ${(err as Error).message.split('\n')[0]}`;
    console.log(`skipped: ${unavailable}`);
  }
}, 300_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the engine in a Chromium page on WebGPU', () => {
  it('trains, and its checkpoint loaded in Node predicts what the page predicted', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    await page.evaluate((c) => (globalThis as unknown as { umedptEngine: EngineWindowApi }).umedptEngine.createModel(c), config);
    await initEngine({ forced: 'cpu' });
    const initial = await modelWeightArrays(createUmedptModel(config));

    const losses: Array<Record<string, number>> = [];
    for (let step = 0; step < 4; step++) {
      const batches = tasks.map((t) => plainBatch(assembleBatch(t.name, t.kind, [0, 1].map((k) => t.train[(step * 2 + k) % t.train.length]!))));
      losses.push(await page.evaluate(([b]) => (globalThis as unknown as { umedptEngine: EngineWindowApi }).umedptEngine.step(b as TaskBatch[], 2e-3), [batches] as const));
    }
    console.log(`page losses: ${JSON.stringify(losses)}`);
    for (const l of losses) for (const v of Object.values(l)) expect(Number.isFinite(v)).toBe(true);
    expect(Object.keys(losses[0]!).sort()).toEqual(tasks.map((t) => t.name).sort());

    const valImages = classification.val.map((s) => s.image);
    const [weights, pagePredictions, adapter] = await page.evaluate(
      async ([task, images, count]) => {
        const engine = (globalThis as unknown as { umedptEngine: EngineWindowApi }).umedptEngine;
        const w = await engine.weights();
        // typed arrays do not survive page.evaluate: plain arrays
        return [w.map((a) => ({ key: a.key, shape: a.shape, values: Array.from(a.values) })), await engine.predictClassification(task, images, count), null as PageAdapter | null] as const;
      },
      [classification.name, valImages.flatMap((i) => Array.from(i)), valImages.length] as const,
    );
    void adapter;

    // the page trained: weights moved from the seeded initialisation Node builds
    const moved = weights.filter((w, i) => w.values.some((v, j) => Math.abs(v - initial[i]!.values[j]!) > 1e-6)).length;
    expect(moved).toBeGreaterThan(weights.length / 2);

    // the checkpoint: engine format on disk, read back, loaded on the cpu backend
    writeCheckpointFiles(path.join(dir, 'page'), { source: 'chromium webgpu page', modelConfig: config }, weights.map((w) => ({ key: w.key, shape: w.shape, values: Float32Array.from(w.values) })));
    const { arrays, meta } = readCheckpointFiles(path.join(dir, 'page'));
    expect(meta.modelConfig).toEqual(config);
    const model = createUmedptModel(config);
    try {
      assignModelWeights(model, arrays, path.join(dir, 'page'));
      const prediction = predictTask(model, classification.name, valImages);
      if (prediction.kind !== 'classification') throw new Error('expected class probabilities');
      const nodeProbabilities = prediction.probabilities.flat();
      expect(nodeProbabilities.length).toBe(pagePredictions.length);
      const worst = Math.max(...nodeProbabilities.map((p, i) => Math.abs(p - pagePredictions[i]!)));
      console.log(`${valImages.length} images: page vs Node (cpu) probabilities, worst difference ${worst.toExponential(2)}`);
      expect(worst).toBeLessThanOrEqual(1e-4);
    } finally {
      model.dispose();
    }
  });

  it('serves the engine window protocol on a port its own window hands it, as the desktop preload does', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const batch = assembleBatch(classification.name, classification.kind, classification.train.slice(0, 2));
    const answers = await page.evaluate(
      async ([message, images, labels, size, modelConfig, task]) => {
        // DOM types: this runs in the page (the test's tsconfig has Node's only)
        const pageWindow = globalThis as unknown as { postMessage(m: unknown, origin: string, transfer: unknown[]): void; location: { origin: string } };
        const channel = new MessageChannel();
        // what main/electron/enginePreloadRelay.ts does in the engine window
        pageWindow.postMessage(message, pageWindow.location.origin, [channel.port2]);
        const port = channel.port1 as unknown as { onmessage: ((event: { data: unknown }) => void) | null; postMessage(m: unknown): void };
        const received: unknown[] = [];
        const ask = (request: object) =>
          new Promise<unknown>((resolve) => {
            port.onmessage = (event) => {
              received.push(event.data);
              resolve(event.data);
            };
            port.postMessage(request);
          });
        await ask({ id: 0, type: 'start' });
        await ask({ id: 1, type: 'step', batches: [], settings: { learningRate: 1e-3, headLearningRate: 1e-3, dropoutSeeds: [] } });
        await ask({ id: 2, type: 'createModel', config: { ...modelConfig, tasks: modelConfig.tasks.filter((t) => t.name === task) } });
        const batchOut = { task, kind: 'classification', size, batchSize: 2, images: Float32Array.from(images), labels };
        await ask({ id: 3, type: 'step', batches: [batchOut], settings: { learningRate: 1e-3, headLearningRate: 1e-3, dropoutSeeds: [1] } });
        const state = (await ask({ id: 4, type: 'state' })) as { weights: Array<{ values: unknown }> };
        return { received: received.slice(0, 4), stateWeights: state.weights.length, typed: state.weights[0]!.values instanceof Float32Array };
      },
      [engineWindowPortMessage, Array.from(batch.images), batch.labels as number[], size, config, classification.name] as const,
    );
    console.log(`over the port: ${JSON.stringify(answers.received)}`);
    expect(answers.received[0]).toMatchObject({ id: 0, ok: true, type: 'start', backend: 'webgpu', adapter: { software: true } });
    expect(answers.received[1]).toMatchObject({ id: 1, ok: false, type: 'error', message: expect.stringMatching(/^invalid request: batches/) });
    expect(answers.received[2]).toEqual({ id: 2, ok: true, type: 'done' });
    const step = answers.received[3] as { id: number; ok: boolean; losses: Record<string, number> };
    expect(step).toMatchObject({ id: 3, ok: true, type: 'step' });
    expect(Number.isFinite(step.losses[classification.name])).toBe(true);
    expect(answers.stateWeights).toBeGreaterThan(10);
    expect(answers.typed).toBe(true);
  });
});
