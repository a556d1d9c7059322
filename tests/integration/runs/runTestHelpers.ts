import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runConfigSchema, type RunConfig, type RunConfigInput } from '../../../shared/runConfig';
import type { RunEvent } from '../../../shared/api/runs';

type TaskInput = RunConfigInput['tasks'][number];

/** Tiny synthetic tasks at 32 px: a step takes about a second on two cores. */
export function tinyTask(kind: 'classification' | 'segmentation' | 'detection', train = 8): TaskInput {
  const variant = { classification: 'cell-type-classification', segmentation: 'cell-segmentation', detection: 'cell-detection' } as const;
  return { name: kind.slice(0, 3), kind, source: { kind: 'synthetic', variant: variant[kind], counts: { train, val: 4, test: 4 } }, batchSize: 4 };
}

export function tinyConfig(overrides: Partial<RunConfigInput> = {}): RunConfig {
  return runConfigSchema.parse({
    name: 'tiny',
    model: { inputSize: 32, squeezerWidth: 16 },
    augmentation: { horizontalFlip: false, verticalFlip: false },
    tasks: [tinyTask('classification'), tinyTask('segmentation')],
    ...overrides,
  });
}

export function tempDataDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `umedpt-${prefix}-`));
}

/** Collects events and resolves waits on them. */
export class EventRecorder {
  readonly events: RunEvent[] = [];
  private readonly waiting: Array<{ test: (e: RunEvent) => boolean; resolve: (e: RunEvent) => void }> = [];

  readonly push = (event: RunEvent): void => {
    this.events.push(event);
    for (const w of [...this.waiting]) {
      if (w.test(event)) {
        this.waiting.splice(this.waiting.indexOf(w), 1);
        w.resolve(event);
      }
    }
  };

  next(test: (e: RunEvent) => boolean, timeoutMs = 90000): Promise<RunEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching event within ${timeoutMs} ms`)), timeoutMs);
      this.waiting.push({ test, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  }

  of(runId: string): RunEvent[] {
    return this.events.filter((e) => e.runId === runId);
  }
}
