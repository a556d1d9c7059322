/**
 * The PyTorch trainer against the app's tfjs engine, on the same weights:
 * every encoder and head type gives the same outputs (relative error <= 1e-4),
 * and one training step from the same state gives the same losses and
 * gradients (<= 1e-3), with the same sampler draws. The weights go through the
 * bundle (tfjs checkpoint -> PyTorch), the reference through the app's own
 * checkpoint writer. Skips with the reason where no Python has torch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../main/engine/backend/initEngine';
import { writeCheckpointFiles, type NamedArray } from '../../../main/engine/train/checkpointFiles';
import { CyclicTaskSampler } from '../../../main/engine/train/cyclicSampler';
import { assembleBatch } from '../../../main/engine/train/taskBatch';
import { taskLoss } from '../../../main/engine/train/taskLoss';
import { buildRunModel } from '../../../main/runs/runModel';
import { loadRunTasks } from '../../../main/runs/taskDataLoader';
import { writeRunBundle } from '../../../main/cluster/runBundle';
import type { RunConfig } from '../../../shared/runConfig';
import { pythonOrReason, runPython, tinyConfig } from './clusterTestHelpers';

const { python, reason } = pythonOrReason();
if (!python) console.log(`skipping the tfjs <-> PyTorch equivalence tests: ${reason}`);
const script = path.join(path.dirname(new URL(import.meta.url).pathname), 'compareEngines.py');
const evalImages = 2;

interface Comparison {
  outputs: Record<string, Record<string, number>>;
  losses: Record<string, number>;
  gradients: Record<string, Record<string, number>>;
  sampler: number[][];
}

let root = '';
beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'umedpt-equivalence-'));
  await initEngine({ forced: 'wasm', threads: 1 });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function compare(name: string, config: RunConfig, withStep: boolean): Promise<{ result: Comparison; indices: number[][] }> {
  const tasks = await loadRunTasks(config, root);
  const model = buildRunModel(config, tasks);
  try {
    const bundle = path.join(root, `${name}-bundle`);
    writeRunBundle({ dir: bundle, config, tasks, model, appVersion: 'test' });
    const arrays: NamedArray[] = [{ key: 'meta/evalImages', shape: [1], values: Float32Array.of(evalImages) }];
    const add = (key: string, t: tf.Tensor): void => void arrays.push({ key, shape: t.shape, values: t.dataSync() as Float32Array });
    for (const t of tasks) {
      const x = tf.tensor4d(Float32Array.from(t.val.slice(0, evalImages).flatMap((s) => [...s.image])), [evalImages, 32, 32, 3]);
      const out = model.forward(t.name, x);
      for (const [key, value] of Object.entries(out)) if (value instanceof tf.Tensor) add(`out/${t.name}/${key}`, value);
      tf.dispose([x, ...Object.values(out).filter((v): v is tf.Tensor => v instanceof tf.Tensor)]);
    }
    const sampler = new CyclicTaskSampler(tasks.map((t, i) => ({ name: t.name, size: t.train.length, batchSize: config.tasks[i]!.batchSize })), config.seed);
    const indices = sampler.nextStep();
    if (withStep) {
      tasks.forEach((t, i) => {
        const batch = assembleBatch(t.name, t.kind, indices[i]!.map((k) => t.train[k]!));
        const dropoutSeed = 1000 + i;
        const mask = tf.dropout(tf.ones([batch.batchSize, model.config.squeezerWidth]), 0.2, undefined, dropoutSeed);
        add(`mask/${t.name}`, mask);
        mask.dispose();
        const vars = [...model.sharedVariablesFor(t.kind), ...model.headVariables(t.name)];
        const { value, grads } = tf.variableGrads(() => taskLoss(model, batch, { training: true, dropoutSeed }), vars);
        add(`loss/${t.name}`, value);
        const used = new Set(vars.map((v) => v.name));
        const parts = [...model.sharedComponents().map((c) => ({ key: `model/${c.name}`, layers: c.model })), { key: `head/${t.name}`, layers: model.heads.get(t.name)!.model }];
        for (const part of parts) {
          const variables = part.layers.weights.map((w) => w.read() as tf.Variable);
          if (!variables.some((v) => used.has(v.name))) continue;
          variables.forEach((v, k) => {
            const g = grads[v.name];
            if (g) add(`grad/${t.name}/${part.key}/${k}`, g);
            else arrays.push({ key: `grad/${t.name}/${part.key}/${k}`, shape: v.shape, values: new Float32Array(v.size) });
          });
        }
        tf.dispose([value, ...Object.values(grads)]);
      });
    }
    const reference = path.join(root, `${name}-reference`);
    writeCheckpointFiles(reference, {}, arrays);
    const out = runPython(python!.python, [script, bundle, reference], path.join(bundle, 'trainer'));
    const result = JSON.parse(out) as Comparison;
    const worst = (groups: Record<string, Record<string, number>>) => Math.max(0, ...Object.values(groups).flatMap((g) => Object.values(g)));
    console.log(`${name}: worst output error ${worst(result.outputs).toExponential(2)}, loss ${Math.max(0, ...Object.values(result.losses)).toExponential(2)}, gradient ${worst(result.gradients).toExponential(2)}`);
    return { result, indices };
  } finally {
    model.dispose();
  }
}

function expectOutputs(result: Comparison): void {
  for (const [task, errors] of Object.entries(result.outputs)) {
    for (const [output, error] of Object.entries(errors)) expect(error, `${task} ${output}`).toBeLessThanOrEqual(1e-4);
  }
  expect(Object.keys(result.outputs).sort()).toEqual(['cls', 'det', 'seg']);
}

function expectStep(result: Comparison, indices: number[][]): void {
  expect(result.sampler).toEqual(indices);
  for (const [task, error] of Object.entries(result.losses)) expect(error, `${task} loss`).toBeLessThanOrEqual(1e-3);
  for (const [task, parts] of Object.entries(result.gradients)) {
    expect(Object.keys(parts).length, `${task} gradient parts`).toBeGreaterThanOrEqual(2);
    for (const [part, error] of Object.entries(parts)) expect(error, `${task} ${part} gradient`).toBeLessThanOrEqual(1e-3);
  }
}

describe.skipIf(!python)('tfjs <-> PyTorch equivalence', () => {
  it('small CNN: outputs of every head, one step of losses and gradients', async () => {
    const { result, indices } = await compare('small', tinyConfig(), true);
    expectOutputs(result);
    expectStep(result, indices);
  });

  it('ResNet-18: outputs of every head, one step of losses and gradients', async () => {
    const { result, indices } = await compare('resnet18', tinyConfig({ model: { encoder: 'resnet18', inputSize: 32, squeezerWidth: 32 } }, { train: 4, val: 2, test: 0 }, 2), true);
    expectOutputs(result);
    expectStep(result, indices);
  });

  it('ResNet-50 and ConvNeXt-T: outputs of every head', async () => {
    for (const encoder of ['resnet50', 'convnext-t'] as const) {
      const { result } = await compare(encoder, tinyConfig({ model: { encoder, inputSize: 32, squeezerWidth: 32 } }, { train: 2, val: 2, test: 0 }, 2), false);
      expectOutputs(result);
    }
  }, 600_000);
});
