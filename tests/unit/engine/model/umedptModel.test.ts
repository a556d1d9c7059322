import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../../main/engine/backend/initEngine';
import type { EncoderName } from '../../../../main/engine/model/encoders/encoderSpec';
import { createUmedptModel, type UmedptModel } from '../../../../main/engine/model/umedptModel';

const tasks = [
  { name: 'cls', kind: 'classification' as const, numClasses: 3 },
  { name: 'seg', kind: 'segmentation' as const, numClasses: 4 },
  { name: 'det', kind: 'detection' as const, numClasses: 2 },
];

let built: UmedptModel[] = [];
afterEach(() => {
  built.forEach((m) => m.dispose());
  built = [];
});
function model(encoder: EncoderName, inputSize = 64, seed = 1): UmedptModel {
  const m = createUmedptModel({ encoder, inputSize, tasks, seed, squeezerWidth: 32 });
  built.push(m);
  return m;
}

beforeAll(async () => {
  await initEngine({ forced: 'cpu' });
});

describe('pyramid encoders', () => {
  it.each(['small-cnn', 'resnet18', 'resnet50', 'convnext-t'] as EncoderName[])('%s returns strides 4, 8, 16, 32 and has no BatchNorm', { timeout: 600_000 }, (name) => {
    const m = createUmedptModel({ encoder: name, inputSize: 64, tasks: [tasks[0]!], squeezerWidth: 16 });
    built.push(m);
    const levels = tf.tidy(() => m.pyramid(tf.zeros([1, 64, 64, 3]) as tf.Tensor4D).map((t) => t.shape));
    expect(levels.map((s) => s[1])).toEqual([16, 8, 4, 2]);
    expect(levels.map((s) => s[3])).toEqual(m.encoder.channels);
    const classes = m.sharedComponents().flatMap((c) => c.model.layers.map((l) => l.getClassName()));
    expect(classes.some((c) => /BatchNorm/i.test(c))).toBe(false);
    expect(classes).toContain('UmedptGroupNorm');
  });

  it('rejects input sides that are not multiples of 32 with a clear error', () => {
    expect(() => createUmedptModel({ encoder: 'small-cnn', inputSize: 48, tasks })).toThrow(/multiple of 32/);
    const m = model('small-cnn', 32);
    expect(() => m.pyramid(tf.zeros([1, 64, 64, 3]) as tf.Tensor4D)).toThrow(/32x32/);
  });

  it('replicates grey images to 3 channels', () => {
    const m = model('small-cnn', 32);
    const grey = tf.randomUniform([2, 32, 32, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
    const a = m.embed(grey);
    const b = m.embed(tf.tile(grey, [1, 1, 1, 3]) as tf.Tensor4D);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
  });
});

describe('UMedPT model', () => {
  it('gives each task kind its outputs at the right shapes', () => {
    const m = model('small-cnn', 64);
    const x = tf.randomNormal([2, 64, 64, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const c = m.forward('cls', x);
    const s = m.forward('seg', x);
    const d = m.forward('det', x);
    if (c.kind !== 'classification' || s.kind !== 'segmentation' || d.kind !== 'detection') throw new Error('wrong kinds');
    expect(c.logits.shape).toEqual([2, 3]);
    expect(s.logits.shape).toEqual([2, 64, 64, 4]);
    // levels at strides 8, 16, 32 for a 64-pixel input: 64 + 16 + 4 locations
    expect(m.detectionLevels().map((l) => l.stride)).toEqual([8, 16, 32]);
    expect(d.classLogits.shape).toEqual([2, 84, 2]);
    expect(d.boxDistances.shape).toEqual([2, 84, 4]);
    expect(d.centernessLogits.shape).toEqual([2, 84]);
    expect(Math.min(...d.boxDistances.dataSync())).toBeGreaterThan(0);
    expect(m.embed(x).shape).toEqual([2, 32]);
  });

  it('keeps the pixel decoder at most 96 channels and ends in a 16-d embedding', () => {
    const m = createUmedptModel({ encoder: 'resnet18', inputSize: 64, tasks: [tasks[1]!], squeezerWidth: 16 });
    built.push(m);
    const widths = m.pixelDecoder!.layers.filter((l) => l.getClassName() === 'Conv2D').map((l) => (l.getConfig().filters as number));
    expect(Math.max(...widths)).toBeLessThanOrEqual(96);
    expect(m.pixelDecoder!.outputs[0]!.shape).toEqual([null, 64, 64, 16]);
  });

  it('gives a task only the shared weights it uses', () => {
    const m = model('small-cnn', 32);
    const names = (vs: tf.Variable[]): Set<string> => new Set(vs.map((v) => v.name));
    const cls = names(m.sharedVariablesFor('classification'));
    const seg = names(m.sharedVariablesFor('segmentation'));
    const squeezer = m.squeezer.trainableWeights.map((w) => (w.read() as tf.Variable).name);
    const pixel = m.pixelDecoder!.trainableWeights.map((w) => (w.read() as tf.Variable).name);
    expect(squeezer.every((n) => cls.has(n) && !seg.has(n))).toBe(true);
    expect(pixel.every((n) => seg.has(n) && !cls.has(n))).toBe(true);
    expect(m.sharedVariables().length).toBe(new Set([...cls, ...seg, ...names(m.sharedVariablesFor('detection'))]).size);
  });

  it('is reproducible from its seed and differs across seeds', () => {
    const x = tf.randomNormal([1, 32, 32, 3], 0, 1, 'float32', 9) as tf.Tensor4D;
    const a = Array.from(model('small-cnn', 32, 7).embed(x).dataSync());
    const b = Array.from(model('small-cnn', 32, 7).embed(x).dataSync());
    const c = Array.from(model('small-cnn', 32, 8).embed(x).dataSync());
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('applies seeded dropout only in training', () => {
    const m = model('small-cnn', 32);
    const x = tf.randomNormal([4, 32, 32, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    const logits = (o: ReturnType<UmedptModel['forward']>): number[] => (o.kind === 'classification' ? Array.from(o.logits.dataSync()) : []);
    expect(logits(m.forward('cls', x))).toEqual(logits(m.forward('cls', x)));
    expect(logits(m.forward('cls', x, { training: true, dropoutSeed: 1 }))).toEqual(logits(m.forward('cls', x, { training: true, dropoutSeed: 1 })));
    expect(logits(m.forward('cls', x, { training: true, dropoutSeed: 1 }))).not.toEqual(logits(m.forward('cls', x, { training: true, dropoutSeed: 2 })));
  });
});
