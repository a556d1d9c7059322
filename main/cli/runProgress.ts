/**
 * Terminal view of a training run: a progress bar per epoch (redrawn in place
 * on a terminal, a line every few steps otherwise), per-task loss and metric
 * lines at each epoch end, and the final metrics.
 */
import type { RunEvent, RunSummary, TaskMetrics } from '../../shared/api/runs';
import type { CliIo } from './commands';

const barWidth = 24;

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function progressBar(done: number, total: number, width = barWidth): string {
  const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

function formatValue(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3);
}

/** The metrics worth a line: main ones first, per-class Dice left out. */
export function metricLine(values: Record<string, number>): string {
  const order = ['accuracy', 'balancedAccuracy', 'macroF1', 'auroc', 'labelAccuracy', 'meanDice', 'meanIou', 'map50', 'map5095'];
  const names = Object.keys(values)
    .filter((n) => !/^(dice|iou)_/.test(n))
    .sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
  return names.map((n) => `${n} ${formatValue(values[n]!)}`).join('  ');
}

export function finalMetricLines(metrics: TaskMetrics | null): string[] {
  if (!metrics) return ['  (no validation metrics)'];
  const width = Math.max(...Object.keys(metrics).map((t) => t.length));
  return Object.entries(metrics).map(([task, values]) => `  ${task.padEnd(width)}  ${metricLine(values)}`);
}

export interface ProgressPrinterOptions {
  /** redraw one line in place (a terminal) instead of printing lines */
  live: boolean;
  write?: (text: string) => void;
}

export class RunProgressPrinter {
  private stepsPerEpoch = 0;
  private totalEpochs = 0;
  private lastLineStep = 0;
  private liveLineOpen = false;
  private lastTrainLoss: Record<string, number> = {};
  private taskWidth = 8;

  constructor(
    private readonly io: CliIo,
    private readonly options: ProgressPrinterOptions,
  ) {}

  private line(text: string): void {
    this.closeLive();
    this.io.out(text);
  }

  private closeLive(): void {
    if (this.liveLineOpen) {
      this.options.write?.('\n');
      this.liveLineOpen = false;
    }
  }

  handle(event: RunEvent): void {
    switch (event.type) {
      case 'started': {
        this.totalEpochs = event.totalEpochs;
        this.stepsPerEpoch = Math.ceil(event.totalSteps / Math.max(1, event.totalEpochs));
        this.taskWidth = Math.max(8, ...event.tasks.map((t) => t.name.length));
        this.line(`backend ${event.backend}${event.backendChoice ? ` (${event.backendChoice.reason})` : ''}, ${event.totalSteps} steps in ${event.totalEpochs} epoch(s)${event.resumedFromStep !== null ? `, resuming at step ${event.resumedFromStep}` : ''}`);
        for (const t of event.tasks) this.line(`  ${t.name.padEnd(this.taskWidth)}  ${t.kind}, ${t.classNames.length} classes, ${t.trainImages} train / ${t.valImages} val images`);
        break;
      }
      case 'step': {
        const inEpoch = event.step - (event.epoch - 1) * this.stepsPerEpoch;
        const epochSteps = Math.min(this.stepsPerEpoch, event.totalSteps - (event.epoch - 1) * this.stepsPerEpoch);
        const losses = Object.entries(event.losses)
          .map(([t, l]) => `${t} ${l.toFixed(3)}`)
          .join('  ');
        const text = `epoch ${event.epoch}/${event.totalEpochs} ${progressBar(inEpoch, epochSteps)} ${inEpoch}/${epochSteps}  loss ${losses}  ${event.imagesPerSecond.toFixed(1)} img/s  ETA ${formatDuration(event.etaSeconds)}`;
        if (this.options.live && this.options.write) {
          this.options.write(`\r${text}\x1b[K`);
          this.liveLineOpen = true;
        } else {
          // without a terminal: about four lines per epoch, plus the last step
          const every = Math.max(1, Math.floor(epochSteps / 4));
          if (inEpoch % every === 0 || event.step === event.totalSteps || event.step - this.lastLineStep >= every) {
            this.line(text);
            this.lastLineStep = event.step;
          }
        }
        break;
      }
      case 'epoch':
        this.lastTrainLoss = event.trainLoss;
        break;
      case 'validation': {
        this.line(`validation at step ${event.step} (epoch ${event.epoch}/${this.totalEpochs}): score ${event.score.toFixed(3)}${event.best ? ' (best so far)' : ''}`);
        for (const [task, values] of Object.entries(event.metrics)) {
          const loss = this.lastTrainLoss[task];
          this.line(`  ${task.padEnd(this.taskWidth)}  ${loss !== undefined ? `train loss ${loss.toFixed(3)}  ` : ''}${metricLine(values)}`);
        }
        this.lastTrainLoss = {};
        break;
      }
      case 'log':
        if (event.level !== 'info') this.line(`${event.level}: ${event.message}`);
        break;
      case 'state':
        if (event.state !== 'running' && event.state !== 'queued') this.line(`run ${event.state}${event.message ? `: ${event.message}` : ''}`);
        break;
      case 'checkpoint':
        break;
    }
  }

  finish(summary: RunSummary): void {
    this.closeLive();
    this.io.out(`final validation metrics (${summary.state}, step ${summary.progress.step}/${summary.progress.totalSteps}):`);
    finalMetricLines(summary.finalMetrics).forEach((l) => this.io.out(l));
  }
}
