import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../shared/seededRandom';
import { trainLinearProbe } from '../../../main/studies/linearProbe';

/** three Gaussian blobs in 5-d, shifted and scaled far from unit scale */
function blobs(n: number, seed: number) {
  const rng = new SeededRandom(seed);
  const values = new Float32Array(n * 5);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = i % 3;
    labels.push(y);
    for (let d = 0; d < 5; d++) values[i * 5 + d] = 1000 + 50 * ((d === y ? 3 : 0) + rng.normal());
  }
  return { x: { values, rows: n, width: 5 }, labels };
}

describe('linear probe', () => {
  it('separates linearly separable classes whatever the feature scale, with a falling loss', () => {
    const train = blobs(60, 1);
    const test = blobs(90, 2);
    const probe = trainLinearProbe(train.x, train.labels, 3, { epochs: 200, learningRate: 0.05 });
    expect(probe.losses[0]).toBeCloseTo(Math.log(3), 6);
    expect(probe.losses.at(-1)!).toBeLessThan(0.3);
    const p = probe.predict(test.x);
    let correct = 0;
    for (let i = 0; i < test.x.rows; i++) {
      const row = Array.from(p.subarray(i * 3, i * 3 + 3));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      if (row.indexOf(Math.max(...row)) === test.labels[i]) correct++;
    }
    expect(correct / test.x.rows).toBeGreaterThan(0.9);
  });

  it('gives its weights as one dense layer on the raw features, so a fine-tuned head can start from it', () => {
    const train = blobs(60, 1);
    const test = blobs(30, 2);
    const probe = trainLinearProbe(train.x, train.labels, 3, { epochs: 100, learningRate: 0.05 });
    const { kernel, bias } = probe.denseWeights();
    expect([kernel.length, bias.length]).toEqual([15, 3]);
    const expected = probe.predict(test.x);
    for (let r = 0; r < test.x.rows; r++) {
      const logits = [0, 1, 2].map((k) => bias[k]! + [0, 1, 2, 3, 4].reduce((z, d) => z + test.x.values[r * 5 + d]! * kernel[d * 3 + k]!, 0));
      const max = Math.max(...logits);
      const sum = logits.reduce((a, z) => a + Math.exp(z - max), 0);
      logits.forEach((z, k) => expect(Math.exp(z - max) / sum).toBeCloseTo(expected[r * 3 + k]!, 3));
    }
  });

  it('is deterministic and checks its input', () => {
    const { x, labels } = blobs(12, 3);
    const a = trainLinearProbe(x, labels, 3, { epochs: 20, learningRate: 0.01 }).predict(x);
    const b = trainLinearProbe(x, labels, 3, { epochs: 20, learningRate: 0.01 }).predict(x);
    expect(a).toEqual(b);
    expect(() => trainLinearProbe(x, labels.slice(1), 3, { epochs: 1, learningRate: 0.01 })).toThrow(/12 feature rows but 11 labels/);
    expect(() => trainLinearProbe(x, labels.map(() => 3), 3, { epochs: 1, learningRate: 0.01 })).toThrow(/label 3 of row 0/);
  });
});
