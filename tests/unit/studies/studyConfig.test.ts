import { describe, expect, it } from 'vitest';
import { defaultEvalFractions, evalConfigSchema } from '../../../shared/api/eval';
import { sharedLearningRate } from '../../../main/studies/runStudy';

const minimal = { encoders: [{ kind: 'random' }], task: { kind: 'classification', source: { kind: 'synthetic', variant: 'cell-count-classification' } } };

describe('eval config schema', () => {
  it('fills the defaults of the issue: fractions 1-100 %, 3 seeds, frozen mode', () => {
    const config = evalConfigSchema.parse(minimal);
    expect(config.fractions).toEqual(defaultEvalFractions);
    expect(defaultEvalFractions).toEqual([1, 5, 10, 25, 50, 100]);
    expect(config.seeds).toBe(3);
    expect(config.modes).toEqual(['frozen']);
    expect(config.encoders[0]).toEqual({ kind: 'random', encoder: 'small-cnn', squeezerWidth: 512 });
    expect(config.task.source).toMatchObject({ counts: { train: 400, test: 120 } });
  });

  it('rejects what cannot run, naming the field', () => {
    const problems = (input: unknown) => {
      const r = evalConfigSchema.safeParse(input);
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(problems({ ...minimal, encoders: [] }).join()).toMatch(/encoders: a study needs at least one encoder/);
    expect(problems({ ...minimal, fractions: [0] }).join()).toMatch(/fractions\.0/);
    expect(problems({ ...minimal, fractions: [150] }).join()).toMatch(/fractions\.0/);
    expect(problems({ ...minimal, fractions: [10, 10] }).join()).toMatch(/fractions: fractions must not repeat/);
    expect(problems({ ...minimal, inputSize: 48 }).join()).toMatch(/inputSize: inputSize must be a multiple of 32/);
    expect(problems({ ...minimal, modes: ['linear'] }).join()).toMatch(/modes\.0/);
    expect(problems({ ...minimal, encoders: [{ kind: 'exported' }] }).join()).toMatch(/encoders\.0\.dir/);
  });

  it('fine-tunes a classifier\'s encoder at a tenth of the head\'s rate (or encoderLearningRate); a fresh decoder keeps the full rate', () => {
    const config = evalConfigSchema.parse({ ...minimal, learningRate: 2e-3 });
    expect(config.encoderLearningRate).toBeUndefined();
    expect(sharedLearningRate('finetune', 'classification', config)).toBeCloseTo(2e-4, 12);
    expect(sharedLearningRate('frozen', 'classification', config)).toBe(2e-3);
    // segmentation and detection share a decoder that starts fresh in a study
    expect(sharedLearningRate('finetune', 'segmentation', config)).toBe(2e-3);
    expect(sharedLearningRate('finetune', 'detection', config)).toBe(2e-3);
    expect(sharedLearningRate('finetune', 'classification', evalConfigSchema.parse({ ...minimal, encoderLearningRate: 5e-4 }))).toBe(5e-4);
  });
});
