import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../../../../shared/runConfig';
import { buildRunConfig, defaultLaunchForm, fieldOfProblem, launchFormProblems, parseNumberField } from '../../../../renderer/src/pretraining/launchForm';
import { suggestedModel } from '../../../../renderer/src/pretraining/runDefaults';

describe('launch form', () => {
  it('suggests the model by backend', () => {
    expect(suggestedModel('wasm')).toMatchObject({ encoder: 'small-cnn', inputSize: 64, batchSize: 8 });
    expect(suggestedModel('cpu')).toMatchObject({ encoder: 'small-cnn', inputSize: 64, batchSize: 8 });
    expect(suggestedModel('tensorflow-gpu')).toMatchObject({ inputSize: 224, batchSize: 32 });
    for (const b of ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const) expect(suggestedModel(b).inputSize % 32).toBe(0);
  });

  it('suggests a from-scratch learning rate for the small CNN and the method\'s 1e-4 for the large encoders, and the form starts from it', () => {
    expect(suggestedModel('wasm')).toMatchObject({ learningRate: 2e-3, schedule: 'cosine' });
    expect(suggestedModel('tensorflow-gpu')).toMatchObject({ learningRate: 1e-4, schedule: 'none' });
    const form = { ...defaultLaunchForm(suggestedModel('wasm')), synthetic: ['cell-segmentation' as const] };
    const parsed = parseRunConfig(buildRunConfig(form, []));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.config.optimizer.learningRate).toBe(2e-3);
      expect(parsed.config.schedule).toMatchObject({ kind: 'cosine', warmupSteps: 10 });
    }
  });

  it('builds a config the shared schema accepts from synthetic tasks', () => {
    const form = { ...defaultLaunchForm(suggestedModel('wasm')), synthetic: ['cell-segmentation' as const, 'cell-detection' as const], duration: 'steps' as const, steps: 12 };
    const parsed = parseRunConfig(buildRunConfig(form, []));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.config.tasks.map((t) => [t.name, t.kind, t.batchSize])).toEqual([
        ['cell-segmentation', 'segmentation', 8],
        ['cell-detection', 'detection', 8],
      ]);
      expect(parsed.config.steps).toBe(12);
      expect(parsed.config.epochs).toBeUndefined();
    }
  });

  it('places schema problems at their fields', () => {
    const form = { ...defaultLaunchForm(suggestedModel('cpu')), inputSize: 100 };
    const parsed = parseRunConfig(buildRunConfig(form, []));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      const fields = parsed.problems.map((p) => fieldOfProblem(p.path));
      expect(fields).toContain('inputSize');
      expect(fields).toContain('tasks');
    }
  });
});

describe('launch form values', () => {
  const form = defaultLaunchForm(suggestedModel('wasm'));

  it('refuses zero steps, batch 0 and empty fields with the field named, and changes nothing', () => {
    expect(launchFormProblems(form)).toEqual([]);
    const steps0 = { ...form, duration: 'steps' as const, steps: 0 };
    expect(launchFormProblems(steps0)).toEqual([{ field: 'steps', message: 'Steps must be a whole number from 1 to 10000000, not 0' }]);
    expect(steps0.steps).toBe(0);
    expect(launchFormProblems({ ...form, batchSize: 0 })).toEqual([{ field: 'batchSize', message: 'Batch per task must be a whole number from 1 to 512, not 0' }]);
    expect(launchFormProblems({ ...form, learningRate: parseNumberField('') })).toEqual([{ field: 'learningRate', message: 'Learning rate is empty or not a number: enter a number above 0 to 1' }]);
    expect(launchFormProblems({ ...form, inputSize: 100 }).map((p) => p.message)).toEqual(['Input size must be a multiple of 32, not 100']);
    expect(launchFormProblems({ ...form, batchSize: 2.5 }).map((p) => p.field)).toEqual(['batchSize']);
    // the length not in use is not checked
    expect(launchFormProblems({ ...form, duration: 'epochs', steps: 0 })).toEqual([]);
  });
});
