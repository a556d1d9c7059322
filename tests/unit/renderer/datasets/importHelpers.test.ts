import { describe, expect, it } from 'vitest';
import { pathFromDropText } from '../../../../renderer/src/datasets/droppedPath';
import { gridColumns, pagesToEvict, pagesToLoad, visibleItemRange } from '../../../../renderer/src/datasets/gridLayout';
import { importReportCsv, reportRowsOfInterest } from '../../../../renderer/src/datasets/importReportCsv';
import { defaultWizardOptions, noBackground, optionsProblem, toApiOptions } from '../../../../renderer/src/datasets/importOptionsForm';
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
  it('fits columns and maps visible rows to the items around them', () => {
    expect(gridColumns(1000, 132, 8)).toBe(7);
    expect(gridColumns(50, 132, 8)).toBe(1);
    expect(visibleItemRange(10, 14, 7, 2, 100_000)).toEqual({ first: 56, last: 7 * 17 - 1 });
    expect(visibleItemRange(0, 3, 7, 5, 100_000)).toEqual({ first: 0, last: 7 * 9 - 1 });
    expect(visibleItemRange(12, 14, 7, 5, 100)).toEqual({ first: 49, last: 99 });
    expect(visibleItemRange(0, 0, 7, 5, 0)).toBeNull();
  });

  it('loads only the pages of the rows on screen, wherever the user jumped', () => {
    // row 7,000 of a 7-column grid: items 49,000..; one 500-item page, not the 98 before it
    const range = visibleItemRange(7000, 7004, 7, 4, 100_000)!;
    expect(pagesToLoad(range, 500, () => false)).toEqual([97, 98]);
    expect(pagesToLoad(range, 500, (p) => p === 97)).toEqual([98]);
    expect(pagesToLoad({ first: 0, last: 0 }, 500, () => false)).toEqual([0]);
  });

  it('evicts the cached pages farthest from where the user looks', () => {
    expect(pagesToEvict([0, 1, 2], 1, 5)).toEqual([]);
    expect(pagesToEvict([0, 1, 50, 51, 52, 99], 51, 3).sort((a, b) => a - b)).toEqual([0, 1, 99]);
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

  it('sends the background class marked in the wizard: a name, none, or nothing (from the names)', () => {
    expect(toApiOptions({ ...defaultWizardOptions, backgroundClass: '0' }).backgroundClass).toBe('0');
    expect(toApiOptions({ ...defaultWizardOptions, backgroundClass: noBackground }).backgroundClass).toBeNull();
    expect(toApiOptions(defaultWizardOptions)).not.toHaveProperty('backgroundClass');
    expect(() => importOptionsSchema.parse(toApiOptions({ ...defaultWizardOptions, backgroundClass: noBackground }))).not.toThrow();
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
