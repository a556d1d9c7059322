import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { planCsv } from '../../../main/importers/planners/csvPlanner';
import { parseYoloLabels } from '../../../main/importers/planners/yoloPlanner';
import { resultsCsv } from '../../../main/studies/resultsTable';
import type { EvalResultRow } from '../../../shared/api/eval';

const passwd = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n';

describe('error messages never echo file contents', () => {
  it('a passwd file taken for a CSV is refused by its shape, not quoted', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'umedpt-echo-')), 'labels.csv');
    writeFileSync(file, passwd);
    expect(() => planCsv(file)).toThrow(/labels\.csv: the header needs a path column .* its first line has 1 column, none of them named so/);
    expect(() => planCsv(file)).not.toThrow(/root:x/);
  });

  it('a CSV that does not parse names the problem and the line only', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'umedpt-echo-')), 'bad.csv');
    writeFileSync(file, 'path,label\na.png,"secret token\nb.png,x\n');
    let message = '';
    try {
      planCsv(file);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/bad\.csv: not a readable CSV \(CSV_\w+/);
    expect(message).not.toMatch(/secret/);
  });

  it('a YOLO line that is not "class cx cy w h" is counted, not quoted', () => {
    expect(() => parseYoloLabels('root:x:0:0:root\n', 'a.txt', ['cell'])).toThrow(/a\.txt:1: expected "class cx cy w h", found 1 field$/);
    expect(() => parseYoloLabels('secret 0.5 0.5 0.1 0.1\n', 'a.txt', ['cell'])).toThrow(/a\.txt:1: the class is not an integer from 0 to 0$/);
  });
});

describe('study CSV cells that a spreadsheet would run as formulas are neutralised', () => {
  it('prefixes = + - @ text cells (and metric names) with a quote; numbers stay numbers', () => {
    const row = { encoder: '=cmd|" /C calc"!A0', mode: 'linear', fraction: 0.1, seed: -1, trainImages: 10, testImages: 5, status: 'ok', metrics: { '@risk': -0.5, accuracy: 0.5 }, seconds: 1, note: '+SUM(A1)' } as unknown as EvalResultRow;
    const [header, line] = resultsCsv([row], 'accuracy').trim().split('\n');
    expect(header).toContain(",'@risk");
    expect(line!.startsWith(`"'=cmd|"" /C calc""!A0"`)).toBe(true);
    expect(line).toContain(",'+SUM(A1)");
    expect(line).toContain(',-1,');
    expect(line).toContain('-0.5');
  });
});
