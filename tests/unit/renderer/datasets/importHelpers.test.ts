import { describe, expect, it } from 'vitest';
import { pathFromDropText } from '../../../../renderer/src/datasets/droppedPath';
import { gridColumns, itemsToLoad } from '../../../../renderer/src/datasets/gridLayout';
import { importReportCsv, reportRowsOfInterest } from '../../../../renderer/src/datasets/importReportCsv';
import { defaultWizardOptions, optionsProblem, toApiOptions } from '../../../../renderer/src/datasets/importOptionsForm';
import { importOptionsSchema } from '../../../../shared/api/import';

describe('dropped paths', () => {
  it('reads file URIs (POSIX and Windows) and plain absolute paths', () => {
    expect(pathFromDropText('file:///data/my%20set\r\n', '')).toBe('/data/my set');
    expect(pathFromDropText('# comment\nfile:///C:/data/x', '')).toBe('C:/data/x');
    expect(pathFromDropText('', '/home/me/coco')).toBe('/home/me/coco');
    expect(pathFromDropText('', 'C:\\data\\x')).toBe('C:\\data\\x');
    expect(pathFromDropText('', 'just some words')).toBeNull();
    expect(pathFromDropText('https://example.org/a', '')).toBeNull();
  });
});

describe('grid layout', () => {
  it('fits columns and asks only for the rows it lacks', () => {
    expect(gridColumns(1000, 132, 8)).toBe(7);
    expect(gridColumns(50, 132, 8)).toBe(1);
    expect(itemsToLoad(1000, 100000, 7, 10, 20)).toBe(0);
    expect(itemsToLoad(1000, 100000, 7, 200, 20)).toBe(221 * 7 - 1000);
    expect(itemsToLoad(90, 100, 7, 200, 20)).toBe(10);
  });
});

describe('import report', () => {
  const files = [
    { path: 'a.png', status: 'imported' as const, images: 1 },
    { path: 'b.png', status: 'skipped' as const, reason: 'not a PNG: bad signature' },
    { path: 'c.png', status: 'imported' as const, warnings: ['box 2 clipped', 'box 3 clipped'] },
    { path: 'd.png', status: 'duplicate' as const, reason: 'same pixels as a.png' },
  ];

  it('exports every file with reasons and warnings', () => {
    const csv = importReportCsv(files).split('\r\n');
    expect(csv[0]).toBe('path,status,reason,images,warnings');
    expect(csv[2]).toBe('b.png,skipped,not a PNG: bad signature,,');
    expect(csv[3]).toBe('c.png,imported,,,box 2 clipped; box 3 clipped');
    expect(csv).toHaveLength(6);
  });

  it('lists skipped files first, then duplicates, then warnings, and not the clean ones', () => {
    expect(reportRowsOfInterest(files).map((f) => f.path)).toEqual(['b.png', 'd.png', 'c.png']);
  });
});

describe('import options form', () => {
  it('sends fractions the API accepts', () => {
    const options = toApiOptions({ ...defaultWizardOptions, train: 60, val: 20, test: 20 });
    expect(options.splitRatios).toEqual([0.6, 0.2, 0.2]);
    expect(() => importOptionsSchema.parse(options)).not.toThrow();
    expect(options).not.toHaveProperty('groupPattern');
  });

  it('words the problems of bad options', () => {
    expect(optionsProblem(defaultWizardOptions)).toBeNull();
    expect(optionsProblem({ ...defaultWizardOptions, train: 0, val: 0, test: 0 })).toMatch(/add up to 0/);
    expect(optionsProblem({ ...defaultWizardOptions, groupBy: 'pattern', groupPattern: '' })).toMatch(/regular expression/);
    expect(optionsProblem({ ...defaultWizardOptions, groupBy: 'pattern', groupPattern: '([a-z' })).toMatch(/not a valid/);
    expect(optionsProblem({ ...defaultWizardOptions, groupBy: 'pattern', groupPattern: 'P\\d+' })).toMatch(/capture group/);
    expect(optionsProblem({ ...defaultWizardOptions, groupBy: 'pattern', groupPattern: '(P\\d+)_' })).toBeNull();
  });
});
