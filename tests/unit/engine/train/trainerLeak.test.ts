import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../../main/engine/backend/initEngine';
import { tinyTrainer } from './trainerFixture';

beforeAll(async () => {
  await initEngine({ forced: 'wasm' });
});

/** real training steps on 2 shared cores: far above vitest's default */
const heavyTestTimeoutMs = 900_000;

describe('no tensor leaks', () => {
  it('keeps the live tensor count constant over 20 steps of a 3-task run', () => {
    const trainer = tinyTrainer({ clipGradNorm: 1 });
    const start = tf.memory().numTensors;
    const counts: number[] = [];
    for (let i = 0; i < 20; i++) {
      trainer.step();
      counts.push(tf.memory().numTensors);
    }
    expect(counts).toEqual(new Array(20).fill(start));
    // validation, prediction and embedding release their tensors too
    trainer.validate();
    trainer.embed(trainer.tasks[0]!.val.map((s) => s.image));
    expect(tf.memory().numTensors).toBe(start);
    trainer.dispose();
    trainer.model.dispose();
  }, heavyTestTimeoutMs);
});
