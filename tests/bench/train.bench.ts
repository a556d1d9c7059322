/**
 * npm run bench -- train: training throughput (images/s) of the decoupled
 * step per task type, on the wasm and cpu backends, small CNN at 32x32,
 * batch 4 (the cpu backend's Conv2DBackpropFilter is a scalar JavaScript loop,
 * minutes per step at 64x64), with the data module's augmentations on; plus
 * the share of step time spent preparing batches (sampling, augmentation,
 * stacking). UMEDPT_BENCH_STEPS sets the timed steps (default 3; 1 on cpu).
 */
import { initEngine } from '../../main/engine/backend/initEngine';
import { DEFAULT_AUGMENTATION } from '../../main/engine/data/augment';
import { generateSyntheticTasks } from '../../main/engine/data/synthetic';
import { createUmedptModel } from '../../main/engine/model/umedptModel';
import { MultiTaskTrainer } from '../../main/engine/train/multiTaskTrainer';
import type { BenchSectionResult } from './index';

const inputSize = 32;
const batchSize = 4;

export async function run(): Promise<BenchSectionResult> {
  const timedSteps = Number(process.env.UMEDPT_BENCH_STEPS ?? 3);
  const tasks = generateSyntheticTasks({ size: inputSize, counts: { train: 64, val: 1, test: 1 }, seed: 0 });
  const table: BenchSectionResult['table'] = [];
  const json: Record<string, unknown> = { inputSize, batchSize, encoder: 'small-cnn' };
  for (const backend of ['wasm', 'cpu'] as const) {
    await initEngine({ forced: backend });
    const steps = backend === 'cpu' ? Math.min(1, timedSteps) : timedSteps;
    const perKind: Record<string, { imagesPerSecond: number; loadShare: number; secondsPerStep: number }> = {};
    for (const task of tasks) {
      const model = createUmedptModel({ encoder: 'small-cnn', inputSize, seed: 0, tasks: [{ name: task.name, kind: task.kind, numClasses: task.classNames.length }] });
      const trainer = new MultiTaskTrainer(model, [task], { batchSize, seed: 0, augmentation: DEFAULT_AUGMENTATION });
      trainer.step(); // warm-up
      let seconds = 0;
      let loadSeconds = 0;
      for (let i = 0; i < steps; i++) {
        const r = trainer.step();
        seconds += r.seconds;
        loadSeconds += r.loadSeconds;
      }
      trainer.dispose();
      model.dispose();
      console.error(`train bench: ${backend} ${task.kind} ${(seconds / steps).toFixed(2)} s/step`);
      perKind[task.kind] = { imagesPerSecond: (steps * batchSize) / seconds, loadShare: loadSeconds / seconds, secondsPerStep: seconds / steps };
      table.push({
        backend,
        kind: task.kind,
        'images/s': +((steps * batchSize) / seconds).toFixed(2),
        's/step': +(seconds / steps).toFixed(2),
        'loading %': +((100 * loadSeconds) / seconds).toFixed(2),
        'timed steps': steps,
      });
    }
    json[backend] = perKind;
  }
  return { json, table };
}
