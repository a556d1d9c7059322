import { describe, expect, it } from 'vitest';
import { metricDefinition, metricLabel, notApplicableClasses } from '../../../../renderer/src/results/metricLabels';

describe('metric labels', () => {
  it('reads per-class keys by class name and defines every headline metric', () => {
    expect(metricLabel('dice_membrane')).toBe('Dice membrane');
    expect(metricLabel('dice_red blood cell')).toBe('Dice red blood cell');
    expect(metricLabel('meanDice')).toBe('mean Dice');
    expect(metricLabel('map50')).toBe('mAP@0.5');
    expect(metricLabel('balancedAccuracy')).toBe('balanced accuracy');
    // a class named by a number reads as a class, not as a raw key
    expect(metricLabel('dice_0')).toBe('Dice (class 0)');
    expect(metricLabel('somethingNew')).toBe('somethingNew');
    // every headline metric a task kind reports has a label and a definition
    for (const key of ['accuracy', 'balancedAccuracy', 'macroF1', 'auroc', 'labelAccuracy', 'meanDice', 'meanIou', 'map50', 'map5095', 'loss', 'score']) expect(metricDefinition(key), key).not.toBeNull();
    expect(metricDefinition('meanDice')).toMatch(/scored classes that occur/);
    expect(metricDefinition('dice_cell')).toMatch(/class “cell”/);
    expect(metricDefinition('whatever')).toBeNull();
  });

  it('names the classes that are not applicable', () => {
    expect(notApplicableClasses({ meanDice: 0.5, dice_membrane: 0.5 }, ['membrane', 'mito'])).toEqual(['mito']);
  });
});
