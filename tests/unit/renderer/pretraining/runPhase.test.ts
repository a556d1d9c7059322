import { describe, expect, it } from 'vitest';
import { runPhase } from '../../../../renderer/src/pretraining/runPhase';

describe('run phase before the first step', () => {
  it('says what the worker is doing from its latest phase line', () => {
    expect(runPhase([])).toBe('Starting the training process…');
    const logs = [{ message: 'engine backend wasm (threads)' }, { message: 'phase: reading and preprocessing the data of 2 task(s)' }, { message: 'task em: segmentation, 2 classes' }];
    expect(runPhase(logs)).toBe('Reading and preprocessing the data of 2 task(s)…');
    expect(runPhase([...logs, { message: 'phase: first training step (the backend compiles its kernels; this can take a minute)' }])).toMatch(/^First training step \(the backend compiles its kernels/);
  });
});
