/**
 * The Node side of the GPU check (bundled by prepare.ts into the check folder,
 * run there by run.sh with the Node binary it carries): finds the WebGPU
 * adapter through the engine's own search, writes the seeded model's weights
 * and one fixed batch, the gradients of that batch on webgpu, then trains N
 * steps of the memory-decoupled step on webgpu and times them.
 * Output in --out: weights/ (engine checkpoint), weight-order.json, batch.bin,
 * labels.json, grads/ (engine checkpoint format, keyed like the weights),
 * webgpu.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
// tfjs-layers registers the gradients of tfjs-core's ops (see initEngine)
import '@tensorflow/tfjs-layers';
import { findWebgpuAdapter } from '../../main/engine/backend/webgpuAdapter';
import { startWebgpuBackend } from '../../main/engine/backend/webgpuBackend';
import { registerWebgpuKernelFixes } from '../../main/engine/backend/webgpuKernelFixes';
import { createUmedptModel, type UmedptModelConfig } from '../../main/engine/model/umedptModel';
import { AdamW } from '../../main/engine/train/adamw';
import { checkpointParts, writeCheckpointFiles, type NamedArray } from '../../main/engine/train/checkpointFiles';
import { decoupledStepAsync } from '../../main/engine/train/decoupledStep';
import { taskLoss } from '../../main/engine/train/taskLoss';
import type { TaskBatch } from '../../main/engine/train/taskBatch';
import { SeededRandom } from '../../shared/seededRandom';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: 'out' },
    size: { type: 'string', default: '224' },
    batch: { type: 'string', default: '32' },
    steps: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    classes: { type: 'string', default: '10' },
    encoder: { type: 'string', default: 'resnet18' },
    'allow-software': { type: 'boolean', default: false },
  },
});
const size = Number(args.size);
const batchSize = Number(args.batch);
const steps = Number(args.steps);
const warmup = Number(args.warmup);
const classes = Number(args.classes);
const out = path.resolve(args.out!);
const task = 'check';
const learningRate = 1e-4;

function log(line: string): void {
  console.log(`[webgpu] ${line}`);
}

/** a seeded batch of images in [-1, 1] and labels; the same for both engines (written to disk) */
function fixedBatch(seed: number): TaskBatch {
  const random = new SeededRandom(seed);
  const images = new Float32Array(batchSize * size * size * 3);
  for (let i = 0; i < images.length; i++) images[i] = random.next() * 2 - 1;
  const labels = Array.from({ length: batchSize }, (_, i) => i % classes);
  return { task, kind: 'classification', size, batchSize, images, labels };
}

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const search = await findWebgpuAdapter({ allowSoftware: args['allow-software']! });
  if (!search.adapter || !search.description) throw new Error(`no WebGPU adapter: ${search.reason ?? 'unknown reason'}`);
  const adapter = search.description;
  log(`adapter: ${JSON.stringify(adapter)}`);
  if (!(await startWebgpuBackend(search.adapter))) throw new Error('the webgpu backend failed to start on that adapter');
  await tf.ready();
  registerWebgpuKernelFixes();

  const config: UmedptModelConfig = { encoder: args.encoder as UmedptModelConfig['encoder'], inputSize: size, squeezerWidth: 512, detectionWidth: 64, seed: 17, tasks: [{ name: task, kind: 'classification', numClasses: classes }] };
  const model = createUmedptModel(config);
  const parts = checkpointParts(model, [task]);
  const weightOrder = Object.fromEntries(parts.map((p) => [p.key, p.layers.weights.map((w) => w.originalName)]));
  const named = parts.flatMap((p) => p.layers.weights.map((w, i) => ({ key: `${p.key}/${i}`, variable: w.read() as tf.Variable })));
  // only what the classification loss reaches has a gradient (no decoders here)
  const weights: NamedArray[] = await Promise.all(named.map(async (n) => ({ key: n.key, shape: n.variable.shape, values: (await n.variable.data()) as Float32Array })));
  writeCheckpointFiles(path.join(out, 'weights'), { modelConfig: model.config, tasks: [task], source: 'gpu check (webgpu side)' }, weights);
  writeFileSync(path.join(out, 'weight-order.json'), JSON.stringify(weightOrder));

  // (4) the gradients of one fixed batch, weights as written
  const batch = fixedBatch(1);
  writeFileSync(path.join(out, 'batch.bin'), new Uint8Array(batch.images.buffer));
  writeFileSync(path.join(out, 'labels.json'), JSON.stringify({ size, batchSize, classes, labels: batch.labels }));
  const trainable = new Set(model.sharedVariables().concat(model.headVariables(task)).map((v) => v.id));
  const withGrad = named.filter((n) => trainable.has(n.variable.id));
  const { value: loss, grads } = tf.variableGrads(() => taskLoss(model, batch, { training: false }), withGrad.map((n) => n.variable));
  const gradArrays: NamedArray[] = [];
  for (const n of withGrad) {
    const g = grads[n.variable.name];
    if (g) gradArrays.push({ key: n.key, shape: g.shape, values: (await g.data()) as Float32Array });
  }
  const lossValue = (await loss.data())[0]!;
  tf.dispose([loss, ...Object.values(grads)]);
  writeCheckpointFiles(path.join(out, 'grads'), { modelConfig: model.config, tasks: [task], loss: lossValue, source: 'gpu check: gradients on webgpu' }, gradArrays);
  log(`fixed batch: loss ${lossValue.toFixed(6)}, ${gradArrays.length} gradients written`);

  // (2) training speed: the engine's decoupled step with AdamW, batches rotated so no step reuses a cached upload
  const optimizers = { shared: new AdamW(model.sharedVariables(), { learningRate }), heads: new Map([[task, new AdamW(model.headVariables(task), { learningRate })]]) };
  const batches = [fixedBatch(2), fixedBatch(3)];
  const stepSeconds: number[] = [];
  const losses: number[] = [];
  for (let s = 0; s < warmup + steps; s++) {
    const t0 = performance.now();
    const outcome = await decoupledStepAsync(model, [batches[s % 2]!], optimizers, { learningRate, headLearningRate: learningRate, dropoutSeeds: [s] });
    const seconds = (performance.now() - t0) / 1000;
    losses.push(outcome.losses[task]!);
    if (s >= warmup) stepSeconds.push(seconds);
    log(`step ${s + 1}/${warmup + steps}${s < warmup ? ' (warm-up)' : ''}: loss ${outcome.losses[task]!.toFixed(4)}, ${seconds.toFixed(3)} s`);
  }
  const total = stepSeconds.reduce((a, b) => a + b, 0);
  const result = {
    engine: 'tfjs-backend-webgpu on Dawn (Node)',
    node: process.version,
    tfjs: tf.version_core,
    adapter,
    encoder: config.encoder,
    image_size: size,
    batch_size: batchSize,
    steps,
    warmup_steps: warmup,
    images_per_second: total > 0 ? (steps * batchSize) / total : null,
    step_seconds: stepSeconds,
    losses,
    fixed_batch_loss: lossValue,
    tensors_after: tf.memory().numTensors,
  };
  writeFileSync(path.join(out, 'webgpu.json'), JSON.stringify(result, null, 2));
  log(`${result.images_per_second?.toFixed(3)} images/s over ${steps} steps (batch ${batchSize}, ${size} px)`);
}

main().then(
  // Dawn's instance keeps the event loop alive: leave once the files are written
  () => process.exit(0),
  (error: unknown) => {
    console.error(`[webgpu] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
