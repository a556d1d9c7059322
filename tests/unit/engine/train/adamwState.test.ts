/** AdamW's bookkeeping: moments that no gradient touches, state that must fit, memory that is given back. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../../main/engine/backend/initEngine';
import { AdamW } from '../../../../main/engine/train/adamw';

beforeAll(async () => {
  await initEngine({ forced: 'cpu' });
});

describe('AdamW state', () => {
  it('keeps its moments out of training: not trainable, so a gradient over all trainable variables skips them', () => {
    const x = tf.variable(tf.tensor1d([1, 2]));
    const opt = new AdamW([x]);
    const { m, v } = opt.getState();
    for (const t of [...m, ...v]) expect((t as tf.Variable).trainable).toBe(false);
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(x)) as tf.Scalar);
    expect(Object.keys(grads)).toEqual([x.name]);
    opt.dispose();
  });

  it('names a gradient list of the wrong length and a state that does not fit', () => {
    const a = tf.variable(tf.tensor1d([1, 2]));
    const b = tf.variable(tf.scalar(3));
    const opt = new AdamW([a, b]);
    expect(() => opt.apply([tf.tensor1d([1, 1])])).toThrow(/AdamW: 1 gradients for 2 variables/);
    expect(() => opt.setState({ steps: [1], m: [[0, 0]], v: [[0, 0]] })).toThrow(/AdamW state has 1 variables, this optimizer 2/);
    const fits = { steps: [1, 1], m: [[0, 0], [0]], v: [[0, 0], [0]] };
    expect(() => opt.setState({ ...fits, m: [[0], [0]] })).toThrow(/AdamW state: variable 0 has 2 values, the saved moments 1/);
    expect(() => opt.setState({ ...fits, v: [[0, 0], [0, 0]] })).toThrow(/AdamW state: variable 1 has 1 values/);
    expect(() => opt.setState(fits)).not.toThrow();
    expect(opt.getState().steps).toEqual([1, 1]);
    opt.dispose();
  });

  it('dispose frees both moments of every variable, tensors and bytes', () => {
    const vars = [tf.variable(tf.tensor1d([1, 2])), tf.variable(tf.scalar(3))];
    const before = tf.memory();
    const opt = new AdamW(vars);
    // two moments of 3 float32 values in all: 4 tensors, 24 bytes
    expect(tf.memory().numTensors).toBe(before.numTensors + 4);
    expect(tf.memory().numBytes).toBe(before.numBytes + 24);
    opt.dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });

  it('an update leaves no tensor behind: its shared constants are freed, also when it fails half-way', () => {
    const a = tf.variable(tf.tensor1d([1, -2, 3]));
    const b = tf.variable(tf.tensor2d([[0.5, 4]]));
    const opt = new AdamW([a, b], { weightDecay: 0.1 });
    const grads = [tf.tensor1d([0.3, -0.2, 0.1]), tf.tensor2d([[-1, 2]])];
    const wrongShape = tf.tensor1d([1, 2, 3]);
    const before = tf.memory().numTensors;
    // two variables share every constant but the bias corrections' step: a constant made twice would stay
    for (let step = 0; step < 3; step++) opt.apply(grads, 1e-2);
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(a.dataSync())).not.toEqual([1, -2, 3]);
    // the second gradient has the wrong shape: the first variable is updated, then the update throws
    expect(() => opt.apply([grads[0]!, wrongShape], 1e-2)).toThrow();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...grads, wrongShape]);
    opt.dispose();
  });
});
