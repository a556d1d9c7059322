import { describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MetricsLogWriter, parseMetricsLog, readMetricsLog, repairMetricsLog } from '../../../main/runs/metricsLog';

describe('metrics.jsonl', () => {
  it('ignores a torn last line and continues seq numbers after repairing it', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'umedpt-metrics-')), 'metrics.jsonl');
    const writer = new MetricsLogWriter(file, 'r1');
    writer.append({ type: 'state', state: 'running' });
    writer.append({ type: 'log', level: 'info', message: 'hello' });
    writer.close();
    // a process killed in the middle of a write
    appendFileSync(file, '{"runId":"r1","time":"2026-01-01T00:00:00Z","seq":2,"type":"st');
    const read = readMetricsLog(file);
    expect(read.tornTail).toBe(true);
    expect(read.events.map((e) => e.seq)).toEqual([0, 1]);

    expect(repairMetricsLog(file)).toBe(2);
    const next = new MetricsLogWriter(file, 'r1');
    expect(next.append({ type: 'state', state: 'interrupted' }).seq).toBe(2);
    next.close();
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(parseMetricsLog(text)).toMatchObject({ tornTail: false, events: [{ seq: 0 }, { seq: 1 }, { seq: 2, type: 'state', state: 'interrupted' }] });
  });

  it('reads a missing log as empty', () => {
    expect(readMetricsLog('/nonexistent/metrics.jsonl')).toEqual({ events: [], tornTail: false });
  });
});
