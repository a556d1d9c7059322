/**
 * The checkpoint key layout and the checked assignment of weights from a
 * checkpoint to a model's parts (a run's whole model, or a study's encoder).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../../main/engine/backend/initEngine';
import { createUmedptModel, type UmedptModel } from '../../../../main/engine/model/umedptModel';
import { assignCheckpointWeights, checkpointKeys, checkpointParts, checkpointValues, readCheckpointFiles, writeCheckpointFiles, type NamedArray } from '../../../../main/engine/train/checkpointFiles';

const root = mkdtempSync(path.join(tmpdir(), 'umedpt-ckpt-assign-'));
let model: UmedptModel;
const tasks = [
  { name: 'cls', kind: 'classification' as const, numClasses: 3 },
  { name: 'seg', kind: 'segmentation' as const, numClasses: 2 },
];

beforeAll(async () => {
  await initEngine({ forced: 'cpu' });
  model = createUmedptModel({ encoder: 'small-cnn', inputSize: 32, squeezerWidth: 8, seed: 4, tasks });
});
afterAll(() => {
  model.dispose();
  rmSync(root, { recursive: true, force: true });
});

/** every weight of the parts under its checkpoint key, each filled with a value of its own */
function arraysFor(parts: ReturnType<typeof checkpointParts>, offset: number): NamedArray[] {
  return parts.flatMap((part, p) =>
    part.layers.weights.map((w, i) => {
      const size = (w.shape as number[]).reduce((n, d) => n * d, 1);
      return { key: checkpointKeys.weight(part.key, i), shape: w.shape as number[], values: new Float32Array(size).fill(offset + p + i / 100) };
    }),
  );
}

describe('checkpoint key layout', () => {
  it('names shared components, heads, weights and AdamW moments under distinct prefixes', () => {
    expect(checkpointKeys.shared('encoder')).toBe('model/encoder');
    expect(checkpointKeys.head('cls')).toBe('head/cls');
    expect(checkpointKeys.weight('head/cls', 3)).toBe('head/cls/3');
    expect(checkpointKeys.sharedOptimizer).toBe('adamw/shared');
    expect(checkpointKeys.headOptimizer('seg')).toBe('adamw/head/seg');
    expect(checkpointKeys.moment('adamw/shared', 'v', 2)).toBe('adamw/shared/v/2');
  });

  it('lists every shared component, then the heads asked for, in order; an unknown head is named', () => {
    const shared = model.sharedComponents().map((c) => `model/${c.name}`);
    expect(shared.length).toBeGreaterThan(1);
    expect(checkpointParts(model).map((p) => p.key)).toEqual([...shared, 'head/cls', 'head/seg']);
    expect(checkpointParts(model, ['seg']).map((p) => p.key)).toEqual([...shared, 'head/seg']);
    expect(checkpointParts(model, []).map((p) => p.key)).toEqual(shared);
    expect(() => checkpointParts(model, ['nope'])).toThrow(/no head for task 'nope'/);
  });
});

describe('checkpointValues', () => {
  const arrays = new Map([['a/0', { key: 'a/0', shape: [2], values: Float32Array.from([1, 2]) }]]);
  it('returns a present tensor of the expected size, and names a missing or misshapen one', () => {
    expect(Array.from(checkpointValues(arrays, '/ck', 'a/0', 2))).toEqual([1, 2]);
    expect(() => checkpointValues(arrays, '/ck', 'b/0', 2)).toThrow("/ck: checkpoint lacks tensor 'b/0'");
    expect(() => checkpointValues(arrays, '/ck', 'a/0', 3)).toThrow("/ck: tensor 'a/0' has 2 values, expected 3");
    expect(() => checkpointValues(arrays, '/ck', 'a/0', 3, 'kernel needs')).toThrow("/ck: tensor 'a/0' has 2 values, kernel needs 3");
  });
});

describe('assignCheckpointWeights', () => {
  it("sets every part's weights from the checkpoint and returns its step and save time", () => {
    const parts = checkpointParts(model);
    const dir = path.join(root, 'full');
    writeCheckpointFiles(dir, { trainer: { step: 17 }, savedAt: '2026-12-01T00:00:00Z' }, arraysFor(parts, 10));
    expect(assignCheckpointWeights(dir, parts)).toEqual({ step: 17, savedAt: '2026-12-01T00:00:00Z' });
    parts.forEach((part, p) =>
      part.layers.weights.forEach((w, i) => {
        const values = (w.read() as tf.Tensor).dataSync();
        expect(values[0], `${part.key}/${i}`).toBeCloseTo(10 + p + i / 100, 5);
        expect(values[values.length - 1]).toBeCloseTo(10 + p + i / 100, 5);
      }),
    );
  });

  it('assigns only the parts asked for (a study takes the shared parts), and defaults step and time', () => {
    const all = checkpointParts(model);
    const shared = checkpointParts(model, []);
    const dir = path.join(root, 'shared-only');
    writeCheckpointFiles(dir, {}, arraysFor(shared, 50));
    const headBefore = Array.from((all.at(-1)!.layers.weights[0]!.read() as tf.Tensor).dataSync());
    expect(assignCheckpointWeights(dir, shared)).toEqual({ step: 0, savedAt: '' });
    expect((shared[0]!.layers.weights[0]!.read() as tf.Tensor).dataSync()[0]).toBeCloseTo(50, 5);
    expect(Array.from((all.at(-1)!.layers.weights[0]!.read() as tf.Tensor).dataSync())).toEqual(headBefore);
    // the heads' weights are not in it: asking for them names the missing tensor
    expect(() => assignCheckpointWeights(dir, all)).toThrow(/checkpoint lacks tensor 'head\/cls\/0'/);
  });

  it('names a weight whose size does not match the model', () => {
    const parts = checkpointParts(model, ['cls']);
    const arrays = arraysFor(parts, 70);
    const last = arrays.length - 1;
    arrays[last] = { ...arrays[last]!, shape: [1], values: new Float32Array(1) };
    const dir = path.join(root, 'misshapen');
    writeCheckpointFiles(dir, {}, arrays);
    expect(() => assignCheckpointWeights(dir, parts)).toThrow(new RegExp(`tensor '${arrays[last]!.key.replace(/\//g, '\\/')}' has 1 values, .* needs \\d+`));
  });

  it('leaves no tensor behind', () => {
    const parts = checkpointParts(model);
    const dir = path.join(root, 'leak');
    writeCheckpointFiles(dir, {}, arraysFor(parts, 1));
    const before = tf.memory().numTensors;
    assignCheckpointWeights(dir, parts);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('what a checkpoint refuses', () => {
  it('never writes non-finite weights', () => {
    const dir = path.join(root, 'nan');
    expect(() => writeCheckpointFiles(dir, {}, [{ key: 'w/0', shape: [2], values: Float32Array.from([1, NaN]) }])).toThrow(/weights are no longer finite \(.*w\/0.*\): checkpoint not written/);
    expect(existsSync(dir)).toBe(false);
  });

  it('names an unreadable index and a tensor file that is not whole float32 values (checkpoints from before manifests)', () => {
    const dir = path.join(root, 'garbled');
    writeCheckpointFiles(dir, {}, [{ key: 'w/0', shape: [2], values: Float32Array.from([1, 2]) }]);
    rmSync(path.join(dir, 'manifest.json'));
    const index = readFileSync(path.join(dir, 'checkpoint.json'), 'utf8');
    writeFileSync(path.join(dir, 'checkpoint.json'), '{ not json');
    expect(() => readCheckpointFiles(dir)).toThrow(/damaged checkpoint: checkpoint.json is not readable JSON/);
    writeFileSync(path.join(dir, 'checkpoint.json'), index);
    writeFileSync(path.join(dir, 'tensors.bin'), Buffer.alloc(9));
    expect(() => readCheckpointFiles(dir)).toThrow(/tensors.bin has 9 bytes, not a whole number of float32 values \(truncated\)/);
  });
});
