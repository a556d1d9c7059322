/** Shared by the cluster tests: a Python with torch (or the reason there is none), tiny synthetic run configs. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { findPythonTorch, type PythonTorch } from '../../../main/cluster/pythonTorch';
import type { RunConfig } from '../../../shared/runConfig';
import { parseRunConfig } from '../../../shared/runConfig';

export function pythonOrReason(): { python: PythonTorch | null; reason: string } {
  try {
    return { python: findPythonTorch(), reason: '' };
  } catch (error) {
    return { python: null, reason: (error as Error).message };
  }
}

export function tinyConfig(overrides: Record<string, unknown> = {}, counts = { train: 8, val: 4, test: 0 }, batchSize = 4): RunConfig {
  const task = (name: string, kind: string, variant: string) => ({ name, kind, source: { kind: 'synthetic', variant, counts }, batchSize });
  const parsed = parseRunConfig({
    name: 'cluster test',
    tasks: [task('cls', 'classification', 'cell-type-classification'), task('seg', 'segmentation', 'cell-segmentation'), task('det', 'detection', 'cell-detection')],
    model: { encoder: 'small-cnn', inputSize: 32, squeezerWidth: 32 },
    augmentation: { horizontalFlip: false, verticalFlip: false },
    steps: 5,
    seed: 3,
    ...overrides,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.config;
}

/** runs a Python script or module with the bundle's trainer on the path; throws with its stderr on failure */
export function runPython(python: string, args: string[], trainerDir: string, timeoutMs = 600_000): string {
  const r = spawnSync(python, args, {
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, PYTHONPATH: trainerDir, PYTHONDONTWRITEBYTECODE: '1', OMP_NUM_THREADS: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`${path.basename(python)} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stderr}`);
  return r.stdout;
}
