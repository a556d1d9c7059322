/** `umedpt runs` (and the progress of `umedpt pretrain`) shows beside each run's backend who chose it (the run's config, UMEDPT_BACKEND, the setting, automatic). */
import { describe, expect, it } from 'vitest';
import { formatRunsTable } from '../../../main/cli/runsCommand';
import { RunProgressPrinter } from '../../../main/cli/runProgress';
import type { RunSummary } from '../../../shared/api';

const run = (over: Partial<RunSummary>): RunSummary => ({
  id: 'run-1',
  name: 'tiny',
  state: 'completed',
  createdAt: '2026-12-01T20:00:00.000Z',
  updatedAt: '2026-12-01T20:01:00.000Z',
  folder: '/tmp/runs/run-1',
  tasks: [],
  progress: { step: 2, totalSteps: 2, epoch: 1, totalEpochs: 1 },
  backend: null,
  backendChoice: null,
  finalMetrics: null,
  error: null,
  ...over,
});

describe('formatRunsTable', () => {
  it('names the backend and who chose it; older runs show the backend alone, runs not started a dash', () => {
    const lines = formatRunsTable([
      run({ id: 'run-a', backend: 'cpu', backendChoice: { source: 'setting', reason: 'forced to cpu by the setting "Default engine backend"' } }),
      run({ id: 'run-b', backend: 'wasm', backendChoice: { source: 'automatic', reason: 'automatic: ...' } }),
      run({ id: 'run-c', backend: 'wasm' }),
      run({ id: 'run-d', state: 'queued' }),
    ]);
    const backendOf = (id: string) => lines.find((l) => l.startsWith(id))!.split(/\s{2,}/)[4];
    expect(lines[0]).toMatch(/^id\s+name\s+state\s+step\s+backend\s+created$/);
    expect(backendOf('run-a')).toBe('cpu (setting)');
    expect(backendOf('run-b')).toBe('wasm (automatic)');
    expect(backendOf('run-c')).toBe('wasm');
    expect(backendOf('run-d')).toBe('-');
  });
});

describe('the started line of a run', () => {
  it('says why the run trains on its backend', () => {
    const out: string[] = [];
    const printer = new RunProgressPrinter({ out: (l) => out.push(l), err: () => {} }, { live: false });
    printer.handle({ runId: 'r', time: '', seq: 0, type: 'started', backend: 'cpu', backendChoice: { source: 'setting', reason: 'forced to cpu by the setting "Default engine backend"' }, pid: 1, tasks: [], totalSteps: 2, totalEpochs: 1, resumedFromStep: null });
    expect(out[0]).toBe('backend cpu (forced to cpu by the setting "Default engine backend"), 2 steps in 1 epoch(s)');
  });
});
