/**
 * Learning-rate schedules (ref default: constant). Pure functions of the step.
 * An optional linear warm-up applies to all of them.
 */
export type LrSchedule =
  | { kind: 'constant'; warmupSteps?: number }
  | { kind: 'cosine'; totalSteps: number; minLr?: number; warmupSteps?: number }
  | { kind: 'poly'; totalSteps: number; power?: number; warmupSteps?: number }
  | { kind: 'step'; stepSize: number; gamma?: number; warmupSteps?: number };

/** learning rate for the update number `step` (0-based) */
export function learningRateAt(baseLr: number, schedule: LrSchedule | undefined, step: number): number {
  if (!schedule) return baseLr;
  const warmup = schedule.warmupSteps ?? 0;
  if (step < warmup) return (baseLr * (step + 1)) / warmup;
  const s = step - warmup;
  switch (schedule.kind) {
    case 'constant':
      return baseLr;
    case 'cosine': {
      const total = Math.max(1, schedule.totalSteps - warmup);
      const minLr = schedule.minLr ?? 0;
      const progress = Math.min(1, s / total);
      return minLr + 0.5 * (baseLr - minLr) * (1 + Math.cos(Math.PI * progress));
    }
    case 'poly': {
      const total = Math.max(1, schedule.totalSteps - warmup);
      return baseLr * Math.pow(Math.max(0, 1 - s / total), schedule.power ?? 0.9);
    }
    case 'step':
      if (schedule.stepSize <= 0) throw new Error(`step schedule: stepSize must be positive, got ${schedule.stepSize}`);
      return baseLr * Math.pow(schedule.gamma ?? 0.1, Math.floor(s / schedule.stepSize));
  }
}
