/**
 * A tfjs-layers model saved with fileSystemSaveHandler and loaded with
 * fileSystemLoadHandler predicts exactly what the original did, on the wasm
 * and the cpu backend; broken folders give errors naming the file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initEngine } from '../../../../main/engine/backend/initEngine';
import { fileSystemLoadHandler, fileSystemSaveHandler, previousModelDir } from '../../../../main/engine/io/fileSystemHandler';

let root: string;

function buildModel(seed: number): tfl.LayersModel {
  const input = tfl.input({ shape: [12, 12, 3] });
  const init = (s: number) => tfl.initializers.glorotUniform({ seed: seed + s });
  let x = tfl.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: init(1), biasInitializer: 'ones' }).apply(input) as tfl.SymbolicTensor;
  x = tfl.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', depthwiseInitializer: init(2) }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.layerNormalization({ axis: -1 }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.globalAveragePooling2d({}).apply(x) as tfl.SymbolicTensor;
  const out = tfl.layers.dense({ units: 4, activation: 'softmax', kernelInitializer: init(3) }).apply(x) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: out });
  return model;
}

function probe(): tf.Tensor4D {
  return tf.tensor4d(Float32Array.from({ length: 2 * 12 * 12 * 3 }, (_, i) => Math.sin(i * 0.7)), [2, 12, 12, 3]);
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'umedpt-io-'));
  await initEngine({ forced: 'wasm' });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('fileSystemSaveHandler / fileSystemLoadHandler', () => {
  it.each(['wasm', 'cpu'])('round-trips a layers model with identical predictions on %s', async (backend) => {
    await tf.setBackend(backend);
    const dir = path.join(root, `model-${backend}`);
    const model = buildModel(7);
    const x = probe();
    const before = (model.predict(x) as tf.Tensor).dataSync().slice();
    const result = await model.save(fileSystemSaveHandler(dir));
    expect(result.modelArtifactsInfo.weightDataBytes).toBeGreaterThan(0);
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')) as { format: string; weightsManifest: Array<{ paths: string[] }> };
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0]!.paths).toEqual(['weights.bin']);

    const loaded = await tfl.loadLayersModel(fileSystemLoadHandler(dir));
    const after = (loaded.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(after)).toEqual(Array.from(before));
    tf.dispose([x]);
    model.dispose();
    loaded.dispose();
  });

  it('replaces an existing model in place and leaves no temporary folders', async () => {
    await tf.setBackend('wasm');
    const dir = path.join(root, 'replace');
    const first = buildModel(1);
    const second = buildModel(2);
    await first.save(fileSystemSaveHandler(dir));
    await second.save(fileSystemSaveHandler(dir));
    const x = probe();
    const loaded = await tfl.loadLayersModel(fileSystemLoadHandler(dir));
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((second.predict(x) as tf.Tensor).dataSync()));
    expect(readdirSync(root).filter((n) => n.startsWith('replace'))).toEqual(['replace']);
    tf.dispose(x);
    [first, second, loaded].forEach((m) => m.dispose());
  });

  it('loads the previous model when a save crashed between its two renames', async () => {
    const dir = path.join(root, 'crashed');
    const model = buildModel(3);
    await model.save(fileSystemSaveHandler(dir));
    renameSync(dir, previousModelDir(dir));
    expect(existsSync(dir)).toBe(false);
    const loaded = await tfl.loadLayersModel(fileSystemLoadHandler(dir));
    expect(loaded.countParams()).toBe(model.countParams());
    model.dispose();
    loaded.dispose();
  });

  it('names the file and the problem for a truncated weights.bin, bad JSON and a missing folder', async () => {
    const dir = path.join(root, 'broken');
    const model = buildModel(4);
    await model.save(fileSystemSaveHandler(dir));
    model.dispose();
    truncateSync(path.join(dir, 'weights.bin'), 10);
    await expect(tfl.loadLayersModel(fileSystemLoadHandler(dir))).rejects.toThrow(/weights\.bin: has 10 bytes of weights/);
    writeFileSync(path.join(dir, 'model.json'), '{ not json');
    await expect(tfl.loadLayersModel(fileSystemLoadHandler(dir))).rejects.toThrow(/model\.json: not valid JSON/);
    await expect(tfl.loadLayersModel(fileSystemLoadHandler(path.join(root, 'nowhere')))).rejects.toThrow(/nowhere.*model\.json: no such file/);
  });
});
