import { describe, expect, it } from 'vitest';
import { metricDefinition, metricLabel, notApplicableClasses } from '../../../../renderer/src/results/metricLabels';

describe('metric labels', () => {
  it('reads per-class keys by class name and defines every headline metric', () => {
    expect(metricLabel('dice_membrane')).toBe('Dice membrane');
    expect(metricLabel('dice_red blood cell')).toBe('Dice red blood cell');
    expect(metricLabel('meanDice')).toBe('meanDice');
    expect(metricDefinition('meanDice')).toMatch(/scored classes that occur/);
    expect(metricDefinition('dice_cell')).toMatch(/class “cell”/);
    expect(metricDefinition('whatever')).toBeNull();
  });

  it('names the classes that are not applicable', () => {
    expect(notApplicableClasses({ meanDice: 0.5, dice_membrane: 0.5 }, ['membrane', 'mito'])).toEqual(['mito']);
  });
});
