/**
 * The PyTorch trainer's data parallelism and resume, on a tiny three-task run
 * (CPU, gloo, spawn launcher): 2 ranks follow the loss trajectory of 1 rank
 * with the same global batch (<= 1e-4 over 5 steps), and 3 steps + resume + 2
 * steps equal 5 straight steps. Skips with the reason where no Python has torch.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../main/engine/backend/initEngine';
import { buildRunModel } from '../../../main/runs/runModel';
import { loadRunTasks } from '../../../main/runs/taskDataLoader';
import { writeRunBundle } from '../../../main/cluster/runBundle';
import { parseMetricsLog } from '../../../main/runs/metricsLog';
import type { RunEvent } from '../../../shared/api/runs';
import { pythonOrReason, runPython, tinyConfig } from './clusterTestHelpers';

const { python, reason } = pythonOrReason();
if (!python) console.log(`skipping the PyTorch DDP tests: ${reason}`);

let root = '';
let bundle = '';
beforeAll(async () => {
  if (!python) return;
  root = mkdtempSync(path.join(os.tmpdir(), 'umedpt-ddp-'));
  await initEngine({ forced: 'cpu' });
  // flips on: the augmentation draws are part of what ranks must agree on
  const config = tinyConfig({ augmentation: { horizontalFlip: true, verticalFlip: true, rotate90: true, intensity: true }, optimizer: { learningRate: 2e-3 } });
  const tasks = await loadRunTasks(config, root);
  const model = buildRunModel(config, tasks);
  bundle = path.join(root, 'bundle');
  writeRunBundle({ dir: bundle, config, tasks, model, appVersion: 'test' });
  model.dispose();
});
afterAll(() => root && rmSync(root, { recursive: true, force: true }));

function train(runName: string, extra: string[]): RunEvent[] {
  const folder = path.join(root, runName);
  runPython(python!.python, ['-m', 'umedpt_trainer', ...extra, '--bundle', bundle, '--run-folder', folder, '--threads', '1'], path.join(bundle, 'trainer'));
  return parseMetricsLog(readFileSync(path.join(folder, 'metrics.jsonl'), 'utf8')).events;
}

function stepLosses(events: RunEvent[]): Array<Record<string, number>> {
  return events.flatMap((e) => (e.type === 'step' ? [e.losses] : []));
}

describe.skipIf(!python)('PyTorch trainer: DDP and resume', () => {
  it('2 ranks follow 1 rank with the same global batch within 1e-4 over 5 steps', () => {
    const one = stepLosses(train('one-rank', ['spawn', '--nproc', '1']));
    const two = train('two-ranks', ['spawn', '--nproc', '2']);
    expect(two.find((e) => e.type === 'log' && e.message.includes('2 rank(s)'))).toBeTruthy();
    const twoLosses = stepLosses(two);
    expect(one).toHaveLength(5);
    expect(twoLosses).toHaveLength(5);
    let worst = 0;
    one.forEach((losses, s) => {
      for (const [task, loss] of Object.entries(losses)) worst = Math.max(worst, Math.abs(loss - twoLosses[s]![task]!));
    });
    console.log(`largest loss difference 1 vs 2 ranks over 5 steps: ${worst.toExponential(2)}`);
    expect(worst).toBeLessThanOrEqual(1e-4);
    // the run learned something: losses are finite and the segmentation loss fell
    expect(one[4]!.seg!).toBeLessThan(one[0]!.seg!);
    expect(two.at(-1)).toMatchObject({ type: 'state', state: 'completed' });
  });

  it('3 steps, then resume for 2 more, equal 5 straight steps', () => {
    const straight = stepLosses(train('straight', ['train']));
    const first = train('resumed', ['train', '--steps', '3']);
    expect(first.filter((e) => e.type === 'checkpoint' && e.which === 'latest').at(-1)).toMatchObject({ step: 3 });
    const all = train('resumed', ['train', '--resume', '--steps', '5']);
    expect(all.find((e) => e.type === 'started' && e.resumedFromStep === 3)).toBeTruthy();
    expect(stepLosses(all)).toEqual(straight);
  });
});
