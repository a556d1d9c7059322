import type { RunEvent, TaskMetrics, TensorMemory } from '../../../shared/api/runs';
import type { RunTaskKind } from '../../../shared/runConfig';
import { GrowableSeries } from '../charts/growableSeries';

export interface TaskCurves {
  /** training loss per step */
  loss: GrowableSeries;
  /** validation step -> metric name -> value (few points: one per validation) */
  validationSteps: number[];
  validation: Map<string, number[]>;
}

export interface LiveStatus {
  step: number;
  totalSteps: number;
  epoch: number;
  totalEpochs: number;
  imagesPerSecond: number;
  etaSeconds: number;
  learningRate: number;
  memory: TensorMemory | null;
  backend: string | null;
  bestScore: number | null;
  /** the step of the validation that scored best */
  bestStep: number | null;
}

/** The metric a task's validation chart leads with: higher is better. */
export function mainMetricName(kind: RunTaskKind | undefined, names: readonly string[]): string | null {
  const preferred: Record<RunTaskKind, string[]> = {
    classification: ['balancedAccuracy', 'accuracy', 'auroc', 'macroF1', 'f1'],
    segmentation: ['dice', 'iou', 'meanDice'],
    detection: ['mAP', 'map', 'mAP50', 'map50', 'f1'],
  };
  const order = kind ? preferred[kind] : [];
  return order.find((n) => names.includes(n)) ?? names.find((n) => !/loss/i.test(n)) ?? null;
}

/**
 * Everything the live view draws, built from a run's events (its history
 * first, then live ones). Events at or below the last seen sequence number
 * are ignored, so history and live stream may overlap.
 */
export class RunMetricsStore {
  readonly tasks = new Map<string, TaskCurves>();
  readonly kinds = new Map<string, RunTaskKind>();
  readonly logs: Array<{ time: string; level: string; message: string }> = [];
  status: LiveStatus = { step: 0, totalSteps: 0, epoch: 0, totalEpochs: 0, imagesPerSecond: 0, etaSeconds: Number.NaN, learningRate: 0, memory: null, backend: null, bestScore: null, bestStep: null };
  lastSeq = -1;
  private listeners = new Set<() => void>();

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private curves(task: string): TaskCurves {
    let c = this.tasks.get(task);
    if (!c) {
      c = { loss: new GrowableSeries(), validationSteps: [], validation: new Map() };
      this.tasks.set(task, c);
    }
    return c;
  }

  /** Adds events; returns whether any was new. Listeners hear once per call. */
  ingest(events: readonly RunEvent[]): boolean {
    let changed = false;
    for (const e of events) {
      if (e.seq <= this.lastSeq) continue;
      this.lastSeq = e.seq;
      changed = true;
      this.apply(e);
    }
    if (changed) this.listeners.forEach((l) => l());
    return changed;
  }

  private apply(e: RunEvent): void {
    switch (e.type) {
      case 'started':
        this.status = { ...this.status, backend: e.backend, totalSteps: e.totalSteps, totalEpochs: e.totalEpochs };
        for (const t of e.tasks) {
          this.kinds.set(t.name, t.kind);
          this.curves(t.name);
        }
        break;
      case 'step':
        for (const task in e.losses) {
          const loss = e.losses[task]!;
          if (Number.isFinite(loss)) this.curves(task).loss.push(e.step, loss);
        }
        // mutated in place: a 100,000-step history must not allocate 100,000 status objects
        this.status.step = e.step;
        this.status.totalSteps = e.totalSteps;
        this.status.epoch = e.epoch;
        this.status.totalEpochs = e.totalEpochs;
        this.status.imagesPerSecond = e.imagesPerSecond;
        this.status.etaSeconds = e.etaSeconds;
        this.status.learningRate = e.learningRate;
        this.status.memory = e.memory;
        break;
      case 'validation':
        this.addValidation(e.step, e.metrics);
        if (this.status.bestScore === null || e.score > this.status.bestScore) this.status = { ...this.status, bestScore: e.score, bestStep: e.step };
        break;
      case 'log':
        this.logs.push({ time: e.time, level: e.level, message: e.message });
        if (this.logs.length > 500) this.logs.splice(0, this.logs.length - 500);
        break;
      case 'state':
        if (e.message) this.logs.push({ time: e.time, level: e.state === 'failed' ? 'error' : 'info', message: `${e.state}: ${e.message}` });
        break;
      default:
        break;
    }
  }

  private addValidation(step: number, metrics: TaskMetrics): void {
    for (const [task, values] of Object.entries(metrics)) {
      const c = this.curves(task);
      const index = c.validationSteps.length;
      c.validationSteps.push(step);
      for (const [name, value] of Object.entries(values)) {
        let arr = c.validation.get(name);
        if (!arr) {
          // a metric first seen late is missing (NaN: a gap) at earlier validations
          arr = new Array<number>(index).fill(Number.NaN);
          c.validation.set(name, arr);
        }
        arr.push(value);
      }
      for (const arr of c.validation.values()) if (arr.length < index + 1) arr.push(Number.NaN);
    }
  }

  /** Total points drawn, for the read-out. */
  pointCount(): number {
    let n = 0;
    for (const c of this.tasks.values()) n += c.loss.length + c.validationSteps.length;
    return n;
  }
}
