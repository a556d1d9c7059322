import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../../main/engine/backend/initEngine';
import { exportEncoder, loadEncoderWeights } from '../../../../main/engine/model/encoderExport';
import { loadLayersModel } from '../../../../main/engine/model/layersModelFiles';
import { createUmedptModel } from '../../../../main/engine/model/umedptModel';

const dir = mkdtempSync(path.join(tmpdir(), 'umedpt-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  await initEngine({ forced: 'cpu' });
});

const tasks = [{ name: 'cls', kind: 'classification' as const, numClasses: 2 }];

describe('encoder export in layers format', () => {
  it('writes model.json + weights.bin that reload into a new model with identical embeddings', async () => {
    const source = createUmedptModel({ encoder: 'small-cnn', inputSize: 32, squeezerWidth: 24, tasks, seed: 1 });
    const target = createUmedptModel({ encoder: 'small-cnn', inputSize: 32, squeezerWidth: 24, tasks: [{ name: 'new', kind: 'segmentation', numClasses: 3 }], seed: 2 });
    const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const before = Array.from(target.embed(x).dataSync());
    const manifest = await exportEncoder(source, path.join(dir, 'enc'));
    expect(manifest).toMatchObject({ encoder: 'small-cnn', squeezerWidth: 24, pyramidChannels: source.encoder.channels });
    const json = JSON.parse(readFileSync(path.join(dir, 'enc', 'encoder', 'model.json'), 'utf8')) as { format: string; weightsManifest: unknown[] };
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest).toHaveLength(1);
    // plain tfjs can read it back (custom layers registered by class name)
    const plain = await loadLayersModel(path.join(dir, 'enc', 'encoder'));
    expect(plain.outputs).toHaveLength(4);
    plain.dispose();

    const result = await loadEncoderWeights(target, path.join(dir, 'enc'));
    expect(result.squeezerLoaded).toBe(true);
    const after = Array.from(target.embed(x).dataSync());
    expect(after).not.toEqual(before);
    expect(after).toEqual(Array.from(source.embed(x).dataSync()));
    source.dispose();
    target.dispose();
  });

  it('refuses an export of another encoder, and a folder without one', async () => {
    const resnet = createUmedptModel({ encoder: 'resnet18', inputSize: 32, squeezerWidth: 8, tasks });
    await expect(loadEncoderWeights(resnet, path.join(dir, 'enc'))).rejects.toThrow(/'small-cnn' encoder, the model uses 'resnet18'/);
    await expect(loadEncoderWeights(resnet, path.join(dir, 'missing'))).rejects.toThrow(/umedpt-encoder.json: not found/);
    resnet.dispose();
  });
});
