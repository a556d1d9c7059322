import { describe, expect, it } from 'vitest';
import { evalConfigSchema } from '../../../../shared/api/eval';
import { buildEvalConfig, curveTable, defaultEvalForm, parseFractions } from '../../../../renderer/src/evaluate/evalForm';

describe('evaluation form', () => {
  it('parses label fractions in any separator, sorted and unique', () => {
    expect(parseFractions('10, 1 5;5 100%')).toEqual([1, 5, 10, 100]);
    expect(parseFractions('0, 5')).toBeNull();
    expect(parseFractions('150')).toBeNull();
    expect(parseFractions('  ')).toBeNull();
  });

  it('builds a config the eval schema accepts, for runs and the random baseline', () => {
    const built = buildEvalConfig({ ...defaultEvalForm, runIds: ['run-1'], fractions: '5, 50' }, () => null);
    expect('config' in built).toBe(true);
    if ('config' in built) {
      const config = evalConfigSchema.parse(built.config);
      expect(config.encoders.map((e) => e.kind)).toEqual(['run', 'random']);
      expect(config.task).toMatchObject({ kind: 'classification', source: { kind: 'synthetic', variant: 'cell-count-classification' } });
      expect(config.fractions).toEqual([5, 50]);
    }
  });

  it('uses the dataset kind for catalog tasks and names what is missing', () => {
    const built = buildEvalConfig({ ...defaultEvalForm, task: 'catalog:4' }, (id) => (id === 4 ? 'segmentation' : null));
    expect('config' in built && built.config.task.kind).toBe('segmentation');
    expect(buildEvalConfig({ ...defaultEvalForm, task: 'catalog:9' }, () => null)).toEqual({ problem: 'the chosen dataset has no labels a study can use' });
    expect(buildEvalConfig({ ...defaultEvalForm, randomBaseline: false }, () => null)).toMatchObject({ problem: expect.stringMatching(/at least one encoder/) });
    expect(buildEvalConfig({ ...defaultEvalForm, modes: [] }, () => null)).toMatchObject({ problem: expect.stringMatching(/frozen/) });
  });

  it('names the dataset, and refuses bad numbers with the field named instead of changing them', () => {
    const built = buildEvalConfig({ ...defaultEvalForm, task: 'catalog:4' }, () => 'segmentation', (id) => (id === 4 ? 'ISBI-2012' : undefined));
    expect('config' in built && built.config.task.name).toBe('ISBI-2012');
    expect(buildEvalConfig({ ...defaultEvalForm, seeds: 0 }, () => null)).toEqual({ problem: 'Seeds must be a whole number from 1 to 20, not 0' });
    expect(buildEvalConfig({ ...defaultEvalForm, inputSize: NaN }, () => null)).toEqual({ problem: 'Input size must be a multiple of 32 from 32 to 1024, not empty' });
  });

  it('lays curves out as a fraction x curve table', () => {
    const t = curveTable([
      { encoder: 'run', mode: 'frozen', points: [{ fraction: 1, mean: 0.5, sd: 0.1, min: 0.4, max: 0.6, seeds: 3 }, { fraction: 10, mean: 0.7, sd: 0.05, min: 0.6, max: 0.8, seeds: 3 }] },
      { encoder: 'random', mode: 'frozen', points: [{ fraction: 10, mean: 0.4, sd: 0.02, min: 0.3, max: 0.5, seeds: 3 }] },
    ]);
    expect(t.fractions).toEqual([1, 10]);
    expect(t.columns).toEqual(['run · frozen', 'random · frozen']);
    expect(t.cells[0]![1]).toBeNull();
    expect(t.cells[1]![1]).toEqual({ mean: 0.4, sd: 0.02, seeds: 3 });
  });
});
