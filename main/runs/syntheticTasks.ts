/** Run tasks that come from the built-in synthetic dataset (no import needed). */
import { DEFAULT_SYNTHETIC_TASKS, VARIANT_SYNTHETIC_TASKS, generateSyntheticTask, type SyntheticTaskSpec } from '../engine/data/synthetic';
import type { TaskData } from '../engine/data/taskSample';
import type { RunTaskConfig, SyntheticVariant } from '../../shared/runConfig';

export function syntheticSpec(variant: SyntheticVariant): SyntheticTaskSpec {
  const spec = [...DEFAULT_SYNTHETIC_TASKS, ...VARIANT_SYNTHETIC_TASKS].find((s) => s.name === `synthetic-${variant}`);
  if (!spec) throw new Error(`synthetic variant "${variant}" is not one the generator knows`);
  return spec;
}

export function loadSyntheticTask(task: RunTaskConfig, inputSize: number): TaskData {
  if (task.source.kind !== 'synthetic') throw new Error(`task "${task.name}" is not synthetic`);
  const { variant, counts, seed } = task.source;
  const data = generateSyntheticTask(syntheticSpec(variant), { size: inputSize, counts, seed });
  return { ...data, name: task.name };
}
