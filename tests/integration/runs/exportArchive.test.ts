/**
 * runs/exportArchive, the UI's export: a real tiny run's encoder comes back as
 * one zip whose entries (weights, manifest, model card) load back into a new
 * model with the run's own embeddings; the whole model too; and the
 * temporary folder is gone, also after a failed export.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { unzipSync } from 'fflate';
import { closeServices, createServiceContext, createServices, dispatch } from '../../../main/services';
import { createMemorySettingsStore } from '../../../main/services/settingsStore';
import { loadEncoderWeights } from '../../../main/engine/model/encoderExport';
import { createUmedptModel } from '../../../main/engine/model/umedptModel';
import { loadRunModel } from '../../../main/runs/runModel';
import type { ExportArchive, ModelCard, RunSummary } from '../../../shared/api';
import { encoderNameSchema } from '../../../shared/vocabulary';
import { tempDataDir, tinyTask } from './runTestHelpers';

const archiveTemps = () => new Set(readdirSync(os.tmpdir()).filter((name) => name.startsWith('umedpt-export-archive-')));

describe('runs/exportArchive', () => {
  const home = tempDataDir('export-archive');
  const ctx = createServiceContext({ transport: 'server', appVersion: '0.1.0', settings: createMemorySettingsStore(), env: { UMEDPT_HOME: home } });
  const services = createServices(ctx);
  afterAll(async () => {
    await closeServices(ctx);
    rmSync(home, { recursive: true, force: true });
  });

  it("hands a finished run's encoder (and whole model) over as one zip that loads back, and leaves no temporary folder", async () => {
    const launched = await dispatch(services, 'runs/launch', { config: { name: 'tiny/run: 1', steps: 2, model: { inputSize: 32, squeezerWidth: 16 }, tasks: [tinyTask('classification')] } });
    expect(launched.ok).toBe(true);
    const run = (launched as { value: RunSummary }).value;
    let state = run.state;
    for (let waited = 0; !['completed', 'failed', 'cancelled'].includes(state) && waited < 120000; waited += 250) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const got = await dispatch(services, 'runs/get', { runId: run.id });
      if (got.ok) state = (got.value as RunSummary).state;
    }
    expect(state).toBe('completed');

    const before = archiveTemps();
    const answer = await dispatch(services, 'runs/exportArchive', { runId: run.id, what: 'encoder', checkpoint: 'latest' });
    expect(answer.ok).toBe(true);
    const archive = (answer as { value: ExportArchive }).value;
    // the run name made a plain file name
    expect(archive.fileName).toBe('tiny_run_ 1-encoder.zip');
    const zip = Buffer.from(archive.base64, 'base64');
    expect(zip.byteLength).toBe(archive.bytes);
    const entries = unzipSync(new Uint8Array(zip));
    expect(Object.keys(entries).sort()).toEqual(archive.files);
    expect(archive.files).toEqual(expect.arrayContaining(['model-card.json', 'umedpt-encoder.json', 'encoder/model.json', 'encoder/weights.bin']));
    const card = JSON.parse(new TextDecoder().decode(entries['model-card.json'])) as ModelCard;
    expect(card).toMatchObject({ format: 'umedpt-encoder', runId: run.id, runName: 'tiny/run: 1', checkpoint: 'latest', files: archive.files });
    expect(archiveTemps()).toEqual(before);

    // unpacked, the encoder loads into a new model and embeds as the run's own model does
    const unpacked = tempDataDir('export-archive-unpacked');
    try {
      for (const [name, bytes] of Object.entries(entries)) {
        mkdirSync(path.dirname(path.join(unpacked, name)), { recursive: true });
        writeFileSync(path.join(unpacked, name), bytes);
      }
      const loaded = await loadRunModel(run.folder, 'latest', 'cpu');
      const fresh = createUmedptModel({ encoder: encoderNameSchema.parse(card.encoder), inputSize: 32, squeezerWidth: 16, tasks: [{ name: 'other', kind: 'segmentation', numClasses: 3 }], seed: 7 });
      const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
      const untrained = Array.from(fresh.embed(x).dataSync());
      expect(await loadEncoderWeights(fresh, unpacked)).toEqual({ squeezerLoaded: true });
      const embedded = Array.from(fresh.embed(x).dataSync());
      expect(embedded).not.toEqual(untrained);
      expect(embedded).toEqual(Array.from(loaded.model.embed(x).dataSync()));
      fresh.dispose();
      loaded.model.dispose();
    } finally {
      rmSync(unpacked, { recursive: true, force: true });
    }

    // the whole model: encoder, task heads and the card saying so
    const whole = await dispatch(services, 'runs/exportArchive', { runId: run.id, what: 'model', checkpoint: 'latest' });
    expect(whole.ok).toBe(true);
    const model = (whole as { value: ExportArchive }).value;
    expect(model.fileName).toBe('tiny_run_ 1-model.zip');
    const modelEntries = Object.keys(unzipSync(new Uint8Array(Buffer.from(model.base64, 'base64'))));
    expect(modelEntries.sort()).toEqual(model.files);
    expect(modelEntries).toEqual(expect.arrayContaining(['model-card.json', 'encoder/weights.bin', 'heads/cla/model.json', 'heads/cla/weights.bin']));
    expect(model.modelCard.format).toBe('umedpt-model');

    // a failed export says why and leaves no temporary folder either
    rmSync(path.join(run.folder, 'checkpoints'), { recursive: true, force: true });
    const failed = await dispatch(services, 'runs/exportArchive', { runId: run.id, what: 'encoder', checkpoint: 'latest' });
    expect(failed).toEqual({ ok: false, error: { code: 'conflict', message: expect.stringContaining(`export of run ${run.id}`) } });
    expect(archiveTemps()).toEqual(before);

    const unknown = await dispatch(services, 'runs/exportArchive', { runId: 'run-nope', what: 'model', checkpoint: 'best' });
    expect(unknown).toEqual({ ok: false, error: { code: 'not_found', message: 'no run with id run-nope' } });
    const bad = await dispatch(services, 'runs/exportArchive', { runId: run.id, what: 'weights', checkpoint: 'best', dir: '/tmp' });
    expect(bad.ok).toBe(false);
  }, 240000);
});
