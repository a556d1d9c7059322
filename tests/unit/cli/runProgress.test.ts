import { describe, expect, it } from 'vitest';
import { RunProgressPrinter, formatDuration, metricLine, progressBar } from '../../../main/cli/runProgress';
import type { RunEvent } from '../../../shared/api/runs';

describe('terminal progress of a run', () => {
  it('formats bars, durations and metric lines', () => {
    expect(progressBar(3, 12, 12)).toBe('[###.........]');
    expect(formatDuration(75)).toBe('1m15s');
    expect(formatDuration(3725)).toBe('1h02m');
    expect(metricLine({ dice_1: 0.5, meanIou: 0.25, meanDice: 0.4 })).toBe('meanDice 0.400  meanIou 0.250');
  });

  it('prints about four step lines per epoch without a terminal, then per-task loss and metrics', () => {
    const out: string[] = [];
    const printer = new RunProgressPrinter({ out: (l) => out.push(l), err: () => {} }, { live: false });
    const base = { runId: 'r', time: '', seq: 0 };
    printer.handle({ ...base, type: 'started', backend: 'wasm', pid: 1, tasks: [{ name: 'cls', kind: 'classification', classNames: ['a', 'b'], trainImages: 64, valImages: 8 }], totalSteps: 16, totalEpochs: 2, resumedFromStep: null });
    for (let step = 1; step <= 8; step++) {
      printer.handle({ ...base, type: 'step', step, totalSteps: 16, epoch: 1, totalEpochs: 2, losses: { cls: 1 / step }, learningRate: 1e-3, imagesPerSecond: 10, etaSeconds: 16 - step, memory: { numTensors: 1, numBytes: 1 } } as RunEvent);
    }
    printer.handle({ ...base, type: 'epoch', epoch: 1, step: 8, seconds: 8, trainLoss: { cls: 0.34 } });
    printer.handle({ ...base, type: 'validation', step: 8, epoch: 1, metrics: { cls: { accuracy: 0.75 } }, score: 0.75, best: true });
    expect(out[0]).toBe('backend wasm, 16 steps in 2 epoch(s)');
    const stepLines = out.filter((l) => l.startsWith('epoch 1/2'));
    expect(stepLines).toHaveLength(4);
    expect(stepLines[3]).toBe('epoch 1/2 [########################] 8/8  loss cls 0.125  10.0 img/s  ETA 8s');
    expect(out.at(-2)).toBe('validation at step 8 (epoch 1/2): score 0.750 (best so far)');
    expect(out.at(-1)).toBe('  cls       train loss 0.340  accuracy 0.750');
  });
});
