/** The engine's per-task validation results as the flat metric maps runs report. */
import type { TaskMetrics as EngineTaskMetrics } from '../engine/train/prediction';
import type { TaskMetrics } from '../../shared/api/runs';

export function toMetricValues(metrics: Record<string, EngineTaskMetrics>): TaskMetrics {
  const out: TaskMetrics = {};
  for (const [task, m] of Object.entries(metrics)) {
    const values: Record<string, number> = {};
    // NaN (e.g. AUROC of a class absent from a small split) does not survive JSON: leave it out.
    for (const [name, value] of Object.entries({ ...m.values, [m.primaryName]: m.primary })) if (Number.isFinite(value)) values[name] = value;
    out[task] = values;
  }
  return out;
}
