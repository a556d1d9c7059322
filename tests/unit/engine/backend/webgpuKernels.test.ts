/**
 * The pieces of the model's heads on webgpu against the cpu backend, forward
 * and gradient, at tiny sizes (SwiftShader here): GroupNorm in its three
 * forms, the 2x upsampling (the decoders' resize), the reductions the engine
 * rewrites on webgpu (webgpuKernelFixes.ts: small reductions as slices, int32
 * reductions, AddN over many inputs), and the three task losses with FCOS
 * targets from assignFcosTargets. Skipped, saying why, where no adapter exists.
 */
import { beforeAll, describe, expect, it, type TestContext } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '../../../../main/engine/backend/initEngine';
import { smallReduction } from '../../../../main/engine/backend/webgpuKernelFixes';
import { normaliseChannels, normaliseGroups } from '../../../../main/engine/model/layers/groupNorm';
import { upsample2x } from '../../../../main/engine/model/layers/upsample2x';
import { assignFcosTargets, totalLocations } from '../../../../main/engine/model/fcosTargets';
import type { DetectionLevel } from '../../../../main/engine/model/detectionDecoder';
import { detectionLoss } from '../../../../main/engine/losses/detectionLoss';
import { segmentationLoss } from '../../../../main/engine/losses/segmentationLoss';
import { classificationLoss } from '../../../../main/engine/losses/classificationLoss';
import { compareWithCpu, programsRun } from './webgpuHarness';

const tolerance = 1e-4;
let unavailable: string | null = null;

beforeAll(async () => {
  const init = await initEngine({ forced: 'webgpu' });
  if (init.backend !== 'webgpu') {
    unavailable = `no WebGPU adapter here: ${init.reason}`;
    console.log(`webgpu kernel tests skipped: ${unavailable}`);
  }
}, 120_000);

function needWebgpu(ctx: TestContext): void {
  if (unavailable) ctx.skip(unavailable);
}

describe('the reductions rewritten on webgpu match cpu', () => {
  const cases: Array<{ name: string; shape: number[]; f: (x: tf.Tensor) => tf.Tensor }> = [
    // the upsampling's gradient: 4 values per output over non-innermost axes
    { name: 'sum over axes 2 and 4 of a rank-6 tensor', shape: [2, 8, 2, 8, 2, 4], f: (x) => tf.sum(x, [2, 4]) },
    // a softmax over 4 classes per pixel
    { name: 'sum over the last axis, kept', shape: [2, 16, 16, 4], f: (x) => tf.sum(x, -1, true) },
    { name: 'max over the last axis', shape: [2, 16, 16, 4], f: (x) => tf.max(x, -1) },
    { name: 'logSoftmax over 3 classes', shape: [2, 16, 16, 3], f: (x) => tf.logSoftmax(x) },
    // too many values per output: the backend's own reduction
    { name: 'sum of 64 values per output (not rewritten)', shape: [64, 64], f: (x) => tf.sum(x, 1) },
  ];
  for (const c of cases) {
    it(c.name, { timeout: 300_000 }, async (ctx) => {
      needWebgpu(ctx);
      const worst = await compareWithCpu([{ shape: c.shape, seed: 5 }], c.f);
      console.log(`${c.name}: worst error ${worst.toExponential(2)}`);
      expect(worst).toBeLessThan(tolerance);
    });
  }

  it('a sum of 4 values per output runs no reduction shader; one of 64 values does', { timeout: 300_000 }, async (ctx) => {
    needWebgpu(ctx);
    await tf.setBackend('webgpu');
    const x = tf.ones([2, 16, 16, 4]);
    const small = await programsRun(() => tf.sum(x, -1));
    const large = await programsRun(() => tf.sum(tf.reshape(x, [32, 64]), -1));
    x.dispose();
    expect(small.filter((p) => p.name === 'ReduceProgram')).toEqual([]);
    expect(large.map((p) => p.name)).toContain('ReduceProgram');
    expect(smallReduction.maxValues).toBeLessThan(64);
  });

  it('an int32 one-hot summed over batch and pixels, and AddN of 20 tensors', { timeout: 300_000 }, async (ctx) => {
    needWebgpu(ctx);
    const run = async (backend: string): Promise<number[]> => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const labels = tf.tensor3d(Int32Array.from({ length: 2 * 8 * 8 }, (_, i) => (i * 7) % 3), [2, 8, 8], 'int32');
        const counts = tf.sum(tf.oneHot(labels, 3), [0, 1, 2]);
        const many = tf.addN(Array.from({ length: 20 }, (_, i) => tf.fill([5], i)));
        return tf.concat([tf.cast(counts, 'float32'), many]);
      }).data().then((v) => Array.from(v));
    };
    const cpu = await run('cpu');
    expect(await run('webgpu')).toEqual(cpu);
  });
});

describe('GroupNorm and the upsampling on webgpu match cpu, forward and gradient', () => {
  // GroupNorm.call: the normalisation, then x * gamma + beta (gamma and beta as inputs, so their gradients are compared too)
  const norms: Array<{ name: string; normalise: (x: tf.Tensor) => tf.Tensor; shape: number[] }> = [
    { name: 'one group (layer norm over H, W, C)', normalise: (x) => normaliseGroups(x, 1, 1e-5), shape: [2, 8, 8, 8] },
    { name: 'four groups', normalise: (x) => normaliseGroups(x, 4, 1e-5), shape: [2, 8, 8, 8] },
    { name: 'per pixel over channels (ConvNeXt)', normalise: (x) => normaliseChannels(x, 1e-6), shape: [2, 8, 8, 8] },
    { name: 'a vector (the squeezer)', normalise: (x) => normaliseGroups(x, 1, 1e-5), shape: [3, 16] },
  ];
  for (const n of norms) {
    it(`GroupNorm, ${n.name}`, { timeout: 300_000 }, async (ctx) => {
      needWebgpu(ctx);
      const channels = n.shape[n.shape.length - 1]!;
      const worst = await compareWithCpu(
        [
          { shape: n.shape, seed: 1 },
          { shape: [channels], seed: 2 },
          { shape: [channels], seed: 3 },
        ],
        (x, gamma, beta) => tf.add(tf.mul(n.normalise(x!), gamma!), beta!),
      );
      console.log(`GroupNorm ${n.name}: worst error ${worst.toExponential(2)}`);
      expect(worst).toBeLessThan(tolerance);
    });
  }

  it('upsample2x', { timeout: 300_000 }, async (ctx) => {
    needWebgpu(ctx);
    const worst = await compareWithCpu([{ shape: [2, 8, 8, 6], seed: 4 }], (x) => upsample2x(x));
    console.log(`upsample2x: worst error ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(tolerance);
  });
});

describe('the task losses on webgpu match cpu, value and gradient of every prediction', () => {
  it('classification, single- and multi-label', { timeout: 300_000 }, async (ctx) => {
    needWebgpu(ctx);
    const single = await compareWithCpu([{ shape: [4, 3], seed: 6 }], (logits) => classificationLoss(logits as tf.Tensor2D, [0, 2, 1, 2]));
    const multi = await compareWithCpu([{ shape: [4, 3], seed: 7 }], (logits) => classificationLoss(logits as tf.Tensor2D, [[1, 0, 0], [0, 1, 1], [0, 0, 0], [0, 0, 1]], true));
    console.log(`classification loss: worst error single ${single.toExponential(2)}, multi-label ${multi.toExponential(2)}`);
    expect(Math.max(single, multi)).toBeLessThan(tolerance);
  });

  it('segmentation (Dice + focal over a softmax)', { timeout: 300_000 }, async (ctx) => {
    needWebgpu(ctx);
    const masks = Uint8Array.from({ length: 2 * 16 * 16 }, (_, i) => (i % 16 < 5 ? 0 : i % 16 < 11 ? 1 : 2));
    const worst = await compareWithCpu([{ shape: [2, 16, 16, 3], seed: 8 }], (logits) => segmentationLoss(logits as tf.Tensor4D, masks));
    console.log(`segmentation loss: worst error ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(tolerance);
  });

  it('detection (focal, GIoU, centerness) on FCOS targets', { timeout: 300_000 }, async (ctx) => {
    needWebgpu(ctx);
    const levels: DetectionLevel[] = [
      { stride: 4, size: 8 },
      { stride: 8, size: 4 },
      { stride: 16, size: 2 },
    ];
    const N = totalLocations(levels);
    const targets = [
      assignFcosTargets([{ x: 2, y: 3, w: 10, h: 12, classId: 0 }, { x: 14, y: 12, w: 16, h: 14, classId: 1 }], levels),
      assignFcosTargets([{ x: 6, y: 5, w: 20, h: 22, classId: 1 }], levels),
    ];
    expect(targets.reduce((n, t) => n + t.numPositive, 0)).toBeGreaterThan(0);
    const worst = await compareWithCpu(
      [
        { shape: [2, N, 2], seed: 9 },
        { shape: [2, N, 4], seed: 10 },
        { shape: [2, N], seed: 11 },
      ],
      // box distances are positive in the model (exp of the regression): the same here
      (classLogits, boxes, centerness) => detectionLoss({ classLogits: classLogits as tf.Tensor3D, boxDistances: tf.mul(tf.exp(boxes!), 4) as tf.Tensor3D, centernessLogits: centerness as tf.Tensor2D }, targets, 2),
    );
    console.log(`detection loss: worst error ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(tolerance);
  });
});

describe('convolutions over a channel count the fast shaders skip match cpu', () => {
  // 35 input channels: the pixel decoder's full-resolution conv (32 features + 3 image channels), padded to 36 on webgpu
  it('conv2d 35 -> 16 channels, forward and both gradients', { timeout: 300_000 }, async (ctx) => {
    needWebgpu(ctx);
    const worst = await compareWithCpu(
      [
        { shape: [2, 8, 8, 35], seed: 12 },
        { shape: [3, 3, 35, 16], seed: 13 },
      ],
      (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'),
    );
    console.log(`conv2d 35 -> 16: worst error ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(tolerance);
    await tf.setBackend('webgpu');
    // large enough for the tiled conv shader (tfjs takes im2col + matmul below ~8-16 output tiles of 32)
    const x = tf.ones([2, 24, 24, 35]) as tf.Tensor4D;
    const w = tf.ones([3, 3, 35, 16]) as tf.Tensor4D;
    const runs = await programsRun(() => tf.conv2d(x, w, 1, 'same'));
    tf.dispose([x, w]);
    // 4-channel (vec4) shaders only, whichever way the backend computes it (tiled conv, or im2col + matmul for small outputs)
    console.log(`conv2d 35 -> 16 ran ${JSON.stringify(runs)}`);
    expect(runs.filter((r) => r.isVec4 !== undefined).length).toBeGreaterThan(0);
    expect(runs.filter((r) => r.isVec4 === false)).toEqual([]);
  });

  it('a fused conv with bias and relu, 5 -> 8 channels, stride 2', { timeout: 300_000 }, async (ctx) => {
    needWebgpu(ctx);
    const worst = await compareWithCpu(
      [
        { shape: [2, 8, 8, 5], seed: 14 },
        { shape: [3, 3, 5, 8], seed: 15 },
        { shape: [8], seed: 16 },
      ],
      (x, w, b) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 2, pad: 'same', bias: b, activation: 'relu' }),
    );
    console.log(`fused conv2d 5 -> 8: worst error ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(tolerance);
  });
});

describe('convolutions on tiny maps over a batch (patches of the whole batch, one matmul) match cpu', () => {
  const cases: Array<{ name: string; shapes: number[][]; f: (...t: tf.Tensor[]) => tf.Tensor }> = [
    { name: '3x3 on a 1x1 map, batch 6', shapes: [[6, 1, 1, 8], [3, 3, 8, 12]], f: (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same') },
    { name: '3x3 stride 2 on a 2x2 map, batch 4, bias and relu', shapes: [[4, 2, 2, 8], [3, 3, 8, 12], [12]], f: (x, w, b) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 2, pad: 'same', bias: b, activation: 'relu' }) },
    { name: '3x3 valid on a 4x4 input (2x2 map), batch 3', shapes: [[3, 4, 4, 5], [3, 3, 5, 8]], f: (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid') },
  ];
  for (const c of cases) {
    it(c.name, { timeout: 300_000 }, async (ctx) => {
      needWebgpu(ctx);
      const worst = await compareWithCpu(c.shapes.map((shape, i) => ({ shape, seed: 20 + i })), c.f);
      console.log(`${c.name}: worst error ${worst.toExponential(2)}`);
      expect(worst).toBeLessThan(tolerance);
    });
  }

  it('runs no tiled conv shader on a 1x1 map', { timeout: 300_000 }, async (ctx) => {
    needWebgpu(ctx);
    await tf.setBackend('webgpu');
    const x = tf.ones([16, 1, 1, 8]) as tf.Tensor4D;
    const w = tf.ones([3, 3, 8, 8]) as tf.Tensor4D;
    const runs = await programsRun(() => tf.conv2d(x, w, 1, 'same'));
    tf.dispose([x, w]);
    expect(runs.map((r) => r.name)).not.toContain('Conv2DMMProgram');
    expect(runs.map((r) => r.name).some((n) => n.startsWith('MatMul'))).toBe(true);
  });
});
