import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../../main/engine/backend/initEngine';
import { GroupNorm } from '../../../../main/engine/model/layers/groupNorm';
import { gelu } from '../../../../main/engine/model/layers/gelu';
import { upsample2x } from '../../../../main/engine/model/layers/upsample2x';

beforeAll(async () => {
  await initEngine({ forced: 'cpu' });
});

describe('GroupNorm(1)', () => {
  it('normalises each sample over H, W, C independently of the batch', () => {
    const x = tf.tensor4d(Array.from({ length: 2 * 2 * 2 * 3 }, (_, i) => (i < 12 ? i : 100 + 5 * i)), [2, 2, 2, 3]);
    const layer = new GroupNorm({ groups: 1 });
    const y = layer.apply(x) as tf.Tensor;
    const values = y.arraySync() as number[][][][];
    for (const sample of values) {
      const flat = sample.flat(2);
      const mean = flat.reduce((a, b) => a + b, 0) / flat.length;
      const variance = flat.reduce((a, b) => a + (b - mean) ** 2, 0) / flat.length;
      expect(mean).toBeCloseTo(0, 5);
      expect(variance).toBeCloseTo(1, 3);
    }
    // the first sample's output does not change when the second sample changes (no batch statistics)
    const alone = (layer.apply(tf.slice(x, [0], [1])) as tf.Tensor).arraySync() as number[][][][];
    expect(alone[0]!.flat(2)).toEqual(values[0]!.flat(2).map((v) => expect.closeTo(v, 5)));
  });

  it('channel scope normalises each pixel over its channels', () => {
    const x = tf.tensor4d([1, 2, 3, 10, 20, 30], [1, 1, 2, 3]);
    const y = (new GroupNorm({ scope: 'channel' }).apply(x) as tf.Tensor).arraySync() as number[][][][];
    expect(y[0]![0]![0]![0]).toBeCloseTo(y[0]![0]![1]![0]!, 4);
    expect(y[0]![0]![0]![1]).toBeCloseTo(0, 5);
  });

  it('survives a layers-format serialisation round trip', async () => {
    const input = tfl.input({ shape: [4, 4, 2] });
    const output = new GroupNorm({ groups: 2, name: 'gn_roundtrip' }).apply(input) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: output });
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts!));
    const x = tf.randomNormal([1, 4, 4, 2], 0, 1, 'float32', 3);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
    expect(loaded.layers[1]!.getClassName()).toBe('UmedptGroupNorm');
  });
});

describe('GELU and 2x upsampling', () => {
  it('GELU matches the tanh formula at a few points', () => {
    const xs = [-3, -1, 0, 0.5, 2];
    const ys = gelu(tf.tensor1d(xs)).dataSync();
    xs.forEach((x, i) => expect(ys[i]).toBeCloseTo(0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))), 5));
  });

  it('upsample2x repeats each pixel in a 2x2 block and has a summing gradient', () => {
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    expect((upsample2x(x).arraySync() as number[][][][])[0]!.map((r) => r.map((c) => c[0]))).toEqual([
      [1, 1, 2, 2],
      [1, 1, 2, 2],
      [3, 3, 4, 4],
      [3, 3, 4, 4],
    ]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(upsample2x(t)))(x);
    expect(Array.from(g.dataSync())).toEqual([4, 4, 4, 4]);
  });
});
