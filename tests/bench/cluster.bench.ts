/**
 * npm run bench -- cluster: the run bundle and the PyTorch trainer on this
 * machine. One three-task synthetic run (classification, segmentation,
 * detection; small CNN at 64x64, batch 8 per task, flips on, ~1,000 images):
 *  - bundle: seconds and MiB to write it, per 1,000 images;
 *  - training images/s of the same run on the app's wasm engine and on the
 *    PyTorch trainer (CPU: 1 rank x 1 thread, 1 rank x 2 threads, 2 ranks x
 *    1 thread with gloo), over UMEDPT_BENCH_STEPS timed steps (default 6)
 *    after one warm-up step.
 * Skips the PyTorch rows (with the reason) where no Python has torch.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { initEngine } from '../../main/engine/backend/initEngine';
import { MultiTaskTrainer } from '../../main/engine/train/multiTaskTrainer';
import { DEFAULT_AUGMENTATION, NO_AUGMENTATION } from '../../main/engine/data/augment';
import { buildRunModel } from '../../main/runs/runModel';
import { loadRunTasks } from '../../main/runs/taskDataLoader';
import { parseMetricsLog } from '../../main/runs/metricsLog';
import { writeRunBundle } from '../../main/cluster/runBundle';
import { findPythonTorch } from '../../main/cluster/pythonTorch';
import { parseRunConfig } from '../../shared/runConfig';
import type { BenchSectionResult } from './index';

export async function run(): Promise<BenchSectionResult> {
  const steps = Number(process.env.UMEDPT_BENCH_STEPS ?? 6);
  const root = mkdtempSync(path.join(os.tmpdir(), 'umedpt-bench-cluster-'));
  const counts = { train: 300, val: 17, test: 17 };
  const task = (name: string, kind: string, variant: string) => ({ name, kind, source: { kind: 'synthetic', variant, counts }, batchSize: 8 });
  const parsed = parseRunConfig({
    name: 'bench',
    tasks: [task('cls', 'classification', 'cell-type-classification'), task('seg', 'segmentation', 'cell-segmentation'), task('det', 'detection', 'cell-detection')],
    model: { encoder: 'small-cnn', inputSize: 64 },
    steps: steps + 1,
    seed: 1,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const config = parsed.config;
  const table: BenchSectionResult['table'] = [];
  const json: Record<string, unknown> = { encoder: 'small-cnn', inputSize: 64, batchPerTask: 8, timedSteps: steps, loadAverage: os.loadavg()[0] };
  try {
    await initEngine({ forced: 'wasm' });
    const loadStarted = Date.now();
    const tasks = await loadRunTasks(config, root);
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    const model = buildRunModel(config, tasks);
    const bundle = path.join(root, 'bundle');
    const written = writeRunBundle({ dir: bundle, config, tasks, model, appVersion: 'bench' });
    const per1000 = 1000 / written.images;
    json.bundle = { images: written.images, seconds: written.seconds, mib: written.bytes / 2 ** 20, secondsPer1000: written.seconds * per1000, mibPer1000: (written.bytes / 2 ** 20) * per1000, dataLoadSeconds: loadSeconds };
    table.push({ what: 'bundle write', images: written.images, seconds: +written.seconds.toFixed(2), MiB: +(written.bytes / 2 ** 20).toFixed(1), 's/1000 img': +(written.seconds * per1000).toFixed(2), 'MiB/1000 img': +((written.bytes / 2 ** 20) * per1000).toFixed(1) });

    const flips = { ...NO_AUGMENTATION, horizontalFlip: true, verticalFlip: true, minBoxSide: DEFAULT_AUGMENTATION.minBoxSide };
    const trainer = new MultiTaskTrainer(model, tasks, { batchSize: 8, seed: 1, augmentation: flips });
    trainer.step();
    let seconds = 0;
    let images = 0;
    for (let i = 0; i < steps; i++) {
      const r = trainer.step();
      seconds += r.seconds;
      images += r.images;
    }
    trainer.dispose();
    model.dispose();
    const rates: Record<string, number> = { 'wasm (app engine)': images / seconds };

    let python: string | null = null;
    try {
      python = findPythonTorch().python;
    } catch (error) {
      json.pytorchSkipped = (error as Error).message;
    }
    if (python) {
      for (const [label, mode, threads] of [
        ['pytorch 1 rank x 1 thread', ['train'], 1],
        ['pytorch 1 rank x 2 threads', ['train'], 2],
        ['pytorch 2 ranks x 1 thread (gloo)', ['spawn', '--nproc', '2'], 1],
      ] as const) {
        const folder = path.join(root, label.replace(/\W+/g, '-'));
        const r = spawnSync(python, ['-m', 'umedpt_trainer', ...mode, '--bundle', bundle, '--run-folder', folder, '--threads', String(threads)], {
          env: { ...process.env, PYTHONPATH: path.join(bundle, 'trainer'), PYTHONDONTWRITEBYTECODE: '1' },
          encoding: 'utf8',
        });
        if (r.status !== 0) throw new Error(`${label}: ${r.stderr}`);
        const stepEvents = parseMetricsLog(readFileSync(path.join(folder, 'metrics.jsonl'), 'utf8')).events.flatMap((e) => (e.type === 'step' ? [e] : []));
        const timed = stepEvents.slice(1);
        // images/s of each step = images / seconds: average the seconds, not the rates
        rates[label] = (timed.length * 24) / timed.reduce((s, e) => s + 24 / e.imagesPerSecond, 0);
      }
    }
    json.imagesPerSecond = rates;
    for (const [label, rate] of Object.entries(rates)) table.push({ what: label, 'images/s': +rate.toFixed(1), 'vs wasm': +(rate / rates['wasm (app engine)']!).toFixed(2) });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return { json, table };
}
