import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../../shared/api/runs';
import { mainMetricName, RunMetricsStore } from '../../../../renderer/src/pretraining/runMetricsStore';

const base = { runId: 'r1', time: '2026-01-01T00:00:00Z' };
const step = (seq: number, s: number, loss: number): RunEvent => ({ ...base, seq, type: 'step', step: s, totalSteps: 100, epoch: 1, totalEpochs: 2, losses: { seg: loss }, learningRate: 1e-4, imagesPerSecond: 12, etaSeconds: 30, memory: { numTensors: 10, numBytes: 2048 } });

describe('run metrics store', () => {
  it('builds curves from history and live events, ignoring the overlap', () => {
    const store = new RunMetricsStore();
    let heard = 0;
    store.subscribe(() => heard++);
    store.ingest([{ ...base, seq: 0, type: 'started', backend: 'wasm', pid: 1, tasks: [{ name: 'seg', kind: 'segmentation', classNames: ['bg', 'cell'], trainImages: 8, valImages: 2 }], totalSteps: 100, totalEpochs: 2, resumedFromStep: null }, step(1, 1, 0.9), step(2, 2, 0.8)]);
    store.ingest([step(2, 2, 0.8), step(3, 3, 0.7)]);
    expect(heard).toBe(2);
    expect([...store.tasks.get('seg')!.loss.x]).toEqual([1, 2, 3]);
    expect([...store.tasks.get('seg')!.loss.y]).toEqual([0.9, 0.8, 0.7]);
    expect(store.status).toMatchObject({ backend: 'wasm', step: 3, imagesPerSecond: 12 });
    expect(store.kinds.get('seg')).toBe('segmentation');
  });

  it('aligns validation metrics, with gaps for metrics first seen late', () => {
    const store = new RunMetricsStore();
    store.ingest([
      { ...base, seq: 0, type: 'validation', step: 10, epoch: 1, metrics: { seg: { loss: 0.5 } }, score: 0.1, best: true },
      { ...base, seq: 1, type: 'validation', step: 20, epoch: 2, metrics: { seg: { loss: 0.4, dice: 0.6 } }, score: 0.6, best: true },
    ]);
    const c = store.tasks.get('seg')!;
    expect(c.validationSteps).toEqual([10, 20]);
    expect(c.validation.get('loss')).toEqual([0.5, 0.4]);
    expect(c.validation.get('dice')).toEqual([Number.NaN, 0.6]);
    expect(store.status.bestScore).toBe(0.6);
  });

  it('takes 100,000 steps quickly', () => {
    const store = new RunMetricsStore();
    const events = Array.from({ length: 100000 }, (_, i) => step(i, i, 1 / (i + 1)));
    const t0 = performance.now();
    store.ingest(events);
    const ms = performance.now() - t0;
    expect(store.tasks.get('seg')!.loss.length).toBe(100000);
    // ~0.3 s on an idle core; the bound is loose because test machines are shared, yet it fails any quadratic path
    expect(ms).toBeLessThan(5000);
  });

  it('picks the main metric per kind', () => {
    expect(mainMetricName('segmentation', ['loss', 'iou', 'dice'])).toBe('dice');
    expect(mainMetricName('classification', ['loss', 'accuracy'])).toBe('accuracy');
    expect(mainMetricName('detection', ['loss', 'mAP'])).toBe('mAP');
    expect(mainMetricName(undefined, ['loss', 'custom'])).toBe('custom');
    expect(mainMetricName('detection', ['loss'])).toBeNull();
  });
});
