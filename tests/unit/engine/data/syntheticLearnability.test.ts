/**
 * The synthetic tasks must be learnable by a small CNN in minutes on a CPU.
 * Opt-in (several minutes of CPU): UMEDPT_LEARNABILITY=1 npx vitest run tests/unit/engine/data/syntheticLearnability.test.ts
 * - classification: a 4-conv CNN with global pooling, 300 steps of 32 -> test accuracy > 0.9
 * - segmentation: a small U-Net with the engine's Dice + focal loss, 200 steps of 8 -> foreground mean Dice > 0.8
 * - detection: boxes of the connected components of that U-Net's predicted masks on the detection
 *   task's test images -> mAP@0.5 > 0.5 (a proxy showing the boxes are recoverable; the FCOS head is tested with the trainer)
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../../main/engine/backend/initEngine';
import { DEFAULT_SYNTHETIC_TASKS, generateSyntheticTask } from '../../../../main/engine/data/synthetic';
import { BatchLoader, sequentialBatches } from '../../../../main/engine/data/batchLoader';
import { DEFAULT_AUGMENTATION } from '../../../../main/engine/data/augment';
import { type PixelBox } from '../../../../main/engine/data/taskSample';
import { classificationMetrics } from '../../../../main/engine/metrics/classificationMetrics';
import { segmentationMetrics } from '../../../../main/engine/metrics/segmentationOverlap';
import { argmaxRows } from '../../../../main/engine/metrics/argmax';
import { detectionMap, type ScoredBox } from '../../../../main/engine/metrics/detectionMap';
import { segmentationLoss } from '../../../../main/engine/losses/segmentationLoss';

const enabled = process.env.UMEDPT_LEARNABILITY === '1';
if (!enabled) console.log('synthetic learnability test skipped: set UMEDPT_LEARNABILITY=1 to run it (minutes of CPU)');
const augmentation = { ...DEFAULT_AUGMENTATION, scale: null };
let seed = 1;
const conv = (filters: number, strides = 1, activation: 'relu' | 'linear' = 'relu', kernelSize = 3): tfl.layers.Layer =>
  tfl.layers.conv2d({ filters, kernelSize, strides, padding: 'same', activation, kernelInitializer: tfl.initializers.glorotUniform({ seed: seed++ }) });

/** Boxes of 4-connected components of each predicted class (component >= 8 px), scored by mean probability. */
function componentBoxes(labels: Int32Array, probs: Float32Array, size: number, numClasses: number): ScoredBox[] {
  const seen = new Uint8Array(labels.length);
  const boxes: ScoredBox[] = [];
  for (let start = 0; start < labels.length; start++) {
    const cls = labels[start]!;
    if (seen[start] || cls === 0) continue;
    const stack = [start];
    seen[start] = 1;
    let [minX, minY, maxX, maxY, sum, n] = [size, size, -1, -1, 0, 0];
    while (stack.length) {
      const q = stack.pop()!;
      const x = q % size;
      const y = Math.floor(q / size);
      [minX, maxX, minY, maxY] = [Math.min(minX, x), Math.max(maxX, x), Math.min(minY, y), Math.max(maxY, y)];
      sum += probs[q * numClasses + cls]!;
      n++;
      for (const [nx, ny] of [[x + 1, y], [x - 1, y], [x, y + 1], [x, y - 1]] as const) {
        const k = ny * size + nx;
        if (nx < 0 || ny < 0 || nx >= size || ny >= size || seen[k] || labels[k] !== cls) continue;
        seen[k] = 1;
        stack.push(k);
      }
    }
    if (n >= 8) boxes.push({ x: minX, y: minY, w: maxX - minX + 1, h: maxY - minY + 1, classId: cls - 1, score: sum / n });
  }
  return boxes;
}

describe.runIf(enabled)('synthetic tasks are learnable by a small CNN', () => {
  beforeAll(async () => {
    await initEngine({ forced: null });
  });

  it('classification reaches accuracy > 0.9', async () => {
    const task = generateSyntheticTask(DEFAULT_SYNTHETIC_TASKS[0]!, { counts: { train: 384, val: 0, test: 96 } });
    const m = tfl.sequential({ layers: [tfl.layers.inputLayer({ inputShape: [64, 64, 3] }), conv(16, 2), conv(32, 2), conv(32, 2), conv(64, 2), tfl.layers.globalAveragePooling2d({}), tfl.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: seed++ }) })] });
    m.compile({ optimizer: tf.train.adam(3e-3), loss: 'sparseCategoricalCrossentropy' });
    const loader = new BatchLoader(task, task.train, { batchSize: 32, augmentation, seed: 1 });
    const t0 = Date.now();
    for (let step = 0; step < 300; step++) {
      const b = await loader.next();
      const x = tf.tensor4d(b.images, [b.count, 64, 64, 3]);
      const y = tf.tensor1d(Float32Array.from(b.labels!));
      await m.trainOnBatch(x, y);
      tf.dispose([x, y]);
    }
    const scores: number[] = [];
    for (const b of sequentialBatches(task, task.test, 32)) {
      const p = tf.tidy(() => m.predict(tf.tensor4d(b.images, [b.count, 64, 64, 3])) as tf.Tensor);
      scores.push(...(await p.data()));
      p.dispose();
    }
    const r = classificationMetrics(task.test.map((s) => s.label as number), scores, 3);
    console.log(`classification: 300 steps in ${((Date.now() - t0) / 1000).toFixed(0)} s, accuracy ${r.accuracy.toFixed(3)}, AUROC ${r.auroc.toFixed(3)}`);
    expect(r.accuracy).toBeGreaterThan(0.9);
  }, 1_800_000);

  it('segmentation reaches Dice > 0.8 and its masks give boxes with mAP@0.5 > 0.5', async () => {
    const task = generateSyntheticTask(DEFAULT_SYNTHETIC_TASKS[1]!, { counts: { train: 256, val: 0, test: 64 } });
    const input = tfl.input({ shape: [64, 64, 3] });
    const c1 = conv(8).apply(input) as tfl.SymbolicTensor;
    const d1 = conv(16, 2).apply(c1) as tfl.SymbolicTensor;
    const d2 = conv(32, 2).apply(d1) as tfl.SymbolicTensor;
    const d3 = conv(32).apply(d2) as tfl.SymbolicTensor;
    const u1 = tfl.layers.concatenate().apply([tfl.layers.upSampling2d({ size: [2, 2] }).apply(d3) as tfl.SymbolicTensor, d1]) as tfl.SymbolicTensor;
    const e1 = conv(32).apply(u1) as tfl.SymbolicTensor;
    const u2 = tfl.layers.concatenate().apply([tfl.layers.upSampling2d({ size: [2, 2] }).apply(e1) as tfl.SymbolicTensor, c1]) as tfl.SymbolicTensor;
    const e2 = conv(8).apply(u2) as tfl.SymbolicTensor;
    const m = tfl.model({ inputs: input, outputs: conv(4, 1, 'linear', 1).apply(e2) as tfl.SymbolicTensor });
    const opt = tf.train.adam(3e-3);
    const loader = new BatchLoader(task, task.train, { batchSize: 8, augmentation, seed: 1 });
    const t0 = Date.now();
    for (let step = 0; step < 200; step++) {
      const b = await loader.next();
      const x = tf.tensor4d(b.images, [b.count, 64, 64, 3]);
      const masks = Uint8Array.from(b.masks!);
      const loss = opt.minimize(() => segmentationLoss(m.apply(x, { training: true }) as tf.Tensor4D, masks), true);
      tf.dispose([x, loss!]);
    }
    const predict = async (images: Float32Array, count: number): Promise<Float32Array> => {
      const p = tf.tidy(() => tf.softmax(m.predict(tf.tensor4d(images, [count, 64, 64, 3])) as tf.Tensor));
      const data = (await p.data()) as Float32Array;
      p.dispose();
      return data;
    };
    const pairs: Array<{ predicted: Int32Array; truth: Uint8Array }> = [];
    for (const b of sequentialBatches(task, task.test, 16)) {
      const labels = argmaxRows(await predict(b.images, b.count), 4);
      for (let i = 0; i < b.count; i++) pairs.push({ predicted: labels.subarray(i * 4096, (i + 1) * 4096), truth: task.test[b.indices[i]!]!.mask! });
    }
    const seg = segmentationMetrics(pairs, 4, { backgroundClass: 0 }); // class 0 is named "background"

    const det = generateSyntheticTask(DEFAULT_SYNTHETIC_TASKS[2]!, { counts: { train: 0, val: 0, test: 64 } });
    const images: Array<{ truth: PixelBox[]; predicted: ScoredBox[] }> = [];
    for (const b of sequentialBatches(det, det.test, 16)) {
      const probs = await predict(b.images, b.count);
      const labels = argmaxRows(probs, 4);
      for (let i = 0; i < b.count; i++) {
        const predicted = componentBoxes(labels.subarray(i * 4096, (i + 1) * 4096), probs.subarray(i * 4096 * 4, (i + 1) * 4096 * 4), 64, 4);
        images.push({ truth: det.test[b.indices[i]!]!.boxes!, predicted });
      }
    }
    const map = detectionMap(images, 3);
    console.log(`segmentation: 200 steps in ${((Date.now() - t0) / 1000).toFixed(0)} s, Dice ${seg.dicePerClass.map((d) => d.toFixed(3)).join(' / ')}, mean ${seg.meanDice.toFixed(3)}; boxes from masks: mAP@0.5 ${map.map50.toFixed(3)}, mAP@[.5:.95] ${map.map5095.toFixed(3)}`);
    expect(seg.meanDice).toBeGreaterThan(0.8);
    expect(map.map50).toBeGreaterThan(0.5);
  }, 1_800_000);
});
