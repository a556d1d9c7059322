/**
 * An app run continues on the PyTorch trainer from its checkpoint: the app's
 * trainer (tfjs) trains 2 steps and checkpoints; a bundle made with that
 * checkpoint (umedpt bundle --continue) resumes at step 2 with the app's
 * weights, AdamW moments, step counts and sampler state, and its step 3 gives
 * the losses the app's own step 3 gives (segmentation and detection within
 * 1e-3; classification draws its dropout mask from another generator).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../main/engine/backend/initEngine';
import { MultiTaskTrainer } from '../../../main/engine/train/multiTaskTrainer';
import { buildRunModel } from '../../../main/runs/runModel';
import { loadRunTasks } from '../../../main/runs/taskDataLoader';
import { parseMetricsLog } from '../../../main/runs/metricsLog';
import { writeRunBundle } from '../../../main/cluster/runBundle';
import { pythonOrReason, runPython, tinyConfig } from './clusterTestHelpers';

const { python, reason } = pythonOrReason();
if (!python) console.log(`skipping the continue-on-the-cluster test: ${reason}`);
let root = '';
afterAll(() => root && rmSync(root, { recursive: true, force: true }));

describe.skipIf(!python)('an app run continues on the PyTorch trainer', () => {
  it('resumes at the app checkpoint and reproduces the next step', async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'umedpt-continue-'));
    await initEngine({ forced: 'wasm', threads: 1 });
    const config = tinyConfig({ steps: 3, optimizer: { learningRate: 2e-3 } });
    const tasks = await loadRunTasks(config, root);
    const model = buildRunModel(config, tasks);
    const trainer = new MultiTaskTrainer(model, tasks, { batchSize: 4, learningRate: 2e-3, seed: config.seed, augmentation: null });
    const checkpoint = path.join(root, 'app-run', 'checkpoints', 'latest');
    let appStep3: Record<string, number> = {};
    try {
      trainer.step();
      trainer.step();
      trainer.saveCheckpoint(checkpoint);
      appStep3 = trainer.step().taskLosses;
      writeRunBundle({ dir: path.join(root, 'bundle'), config, tasks, model, appVersion: 'test', continueFrom: { runId: 'app-run', checkpointDir: checkpoint } });
    } finally {
      trainer.dispose();
      model.dispose();
    }
    const bundle = path.join(root, 'bundle');
    runPython(python!.python, ['-m', 'umedpt_trainer', 'train', '--bundle', bundle, '--run-folder', path.join(root, 'cluster-run'), '--threads', '1'], path.join(bundle, 'trainer'));
    const events = parseMetricsLog(readFileSync(path.join(root, 'cluster-run', 'metrics.jsonl'), 'utf8')).events;
    expect(events.find((e) => e.type === 'started')).toMatchObject({ resumedFromStep: 2, totalSteps: 3 });
    const steps = events.flatMap((e) => (e.type === 'step' ? [e] : []));
    expect(steps.map((s) => s.step)).toEqual([3]);
    const ours = steps[0]!.losses;
    console.log(`step 3 losses, app ${JSON.stringify(appStep3)} vs PyTorch ${JSON.stringify(ours)}`);
    for (const task of ['seg', 'det']) expect(Math.abs(ours[task]! - appStep3[task]!) / appStep3[task]!, task).toBeLessThanOrEqual(1e-3);
    expect(Number.isFinite(ours.cls)).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'state', state: 'completed' });
  });
});
