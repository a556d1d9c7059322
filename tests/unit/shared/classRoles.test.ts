import { describe, expect, it } from 'vitest';
import { backgroundClassIndex, isBackgroundName, perClassMetricKey } from '../../../shared/classRoles';

describe('which segmentation classes are scored', () => {
  it('finds the background by name, never by position', () => {
    expect(backgroundClassIndex(['membrane', 'cell'])).toBeNull();
    expect(backgroundClassIndex(['0', '255'])).toBeNull();
    expect(backgroundClassIndex(['vessel', 'Background'])).toBe(1);
    expect(backgroundClassIndex(['_background_', 'cat'])).toBe(0);
    expect(isBackgroundName(' bg ')).toBe(true);
    expect(isBackgroundName('background cells')).toBe(false);
  });

  it('lets the task mark a class or none, and refuses a class the task lacks', () => {
    expect(backgroundClassIndex(['membrane', 'cell'], 'cell')).toBe(1);
    expect(backgroundClassIndex(['background', 'cell'], null)).toBeNull();
    expect(() => backgroundClassIndex(['membrane', 'cell'], 'void')).toThrow(/background class "void" is not one of the task's classes \(membrane, cell\)/);
  });

  it('keys per-class metrics by class name', () => {
    expect(perClassMetricKey('dice', 'membrane')).toBe('dice_membrane');
  });
});
