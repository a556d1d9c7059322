/**
 * npm run bench -- memory: peak tensor bytes of one training step for
 * T = 1, 2, 4, 8, 16 tasks, memory-decoupled loop vs the naive summed-loss
 * loop (segmentation tasks, small CNN, 32x32, batch 4 per task: the naive
 * loop at T = 16 must still fit the wasm heap).
 */
import { initEngine } from '../../main/engine/backend/initEngine';
import { measureStepMemory } from '../../main/engine/train/stepMemoryProfile';
import type { BenchSectionResult } from './index';

export const memoryBenchTasks = [1, 2, 4, 8, 16];

export async function run(): Promise<BenchSectionResult> {
  const engine = await initEngine();
  const setup = { kind: 'segmentation' as const, encoder: 'small-cnn' as const, inputSize: 32, batchSize: 4 };
  const decoupled: number[] = [];
  const naive: number[] = [];
  const resident: number[] = [];
  const table: BenchSectionResult['table'] = [];
  for (const tasks of memoryBenchTasks) {
    const d = await measureStepMemory({ ...setup, tasks, loop: 'decoupled' });
    const n = await measureStepMemory({ ...setup, tasks, loop: 'naive' });
    decoupled.push(d.peakBytes);
    naive.push(n.peakBytes);
    resident.push(d.residentBytes);
    table.push({
      tasks,
      'decoupled peak MiB': +(d.peakBytes / 2 ** 20).toFixed(2),
      'naive peak MiB': +(n.peakBytes / 2 ** 20).toFixed(2),
      'decoupled vs T=1': +(d.peakBytes / decoupled[0]!).toFixed(2),
      'naive vs T=1': +(n.peakBytes / naive[0]!).toFixed(2),
      'resident MiB': +(d.residentBytes / 2 ** 20).toFixed(2),
      'decoupled step s': +d.seconds.toFixed(2),
      'naive step s': +n.seconds.toFixed(2),
    });
  }
  return {
    json: {
      tasks: memoryBenchTasks,
      decoupled_peak_bytes: decoupled,
      naive_peak_bytes: naive,
      resident_bytes: resident,
      backend: engine.backend,
      setup,
      note: 'peak = tf.profile peakBytes during one step minus the bytes alive before it (weights + optimizer moments)',
    },
    table,
  };
}
