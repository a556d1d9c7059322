/**
 * A study stops at the next row once cancelled, even while the frozen
 * linear probes (synchronous work) run back to back: the cancel arrives as a
 * message (here: a timer), which is only seen if the loop yields between rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../main/engine/backend/initEngine';
import { loadStudyTask } from '../../../main/studies/studyTaskData';
import { runStudy, StudyCancelled } from '../../../main/studies/runStudy';
import { evalConfigSchema, type EvalResultRow } from '../../../shared/api/eval';

const dir = mkdtempSync(path.join(tmpdir(), 'umedpt-study-cancel-'));
beforeAll(async () => {
  await initEngine({ forced: 'cpu' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cancelling a running study', () => {
  it('stops after the row during which the cancel message arrived', async () => {
    const config = evalConfigSchema.parse({
      encoders: [{ kind: 'random', squeezerWidth: 8 }],
      task: { kind: 'classification', source: { kind: 'synthetic', variant: 'cell-count-classification', counts: { train: 40, test: 8 } } },
      fractions: [25, 50, 75, 100],
      seeds: 3,
      inputSize: 32,
      linearEpochs: 20,
      backend: 'cpu',
    });
    const task = await loadStudyTask(config, dir);
    const controller = new AbortController();
    const rows: EvalResultRow[] = [];
    const outcome = runStudy(config, task, dir, {
      signal: controller.signal,
      // the cancel comes as an event-loop task, as a worker's 'cancel' message does
      onRow: (row) => {
        rows.push(row);
        if (rows.length === 1) setTimeout(() => controller.abort(), 0);
      },
    });
    await expect(outcome).rejects.toBeInstanceOf(StudyCancelled);
    // 12 rows were planned; the loop saw the cancel within a row or two, not at the end
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.length).toBeLessThanOrEqual(2);
  }, 300_000);
});
