import { describe, expect, it } from 'vitest';
import { compileGroupPattern, maxGroupPatternLength } from '../../../main/importers/groupPattern';

describe('groupPattern on the linear-time matcher', () => {
  it('takes the first capture group as the key', () => {
    const groupOf = compileGroupPattern('(patient_\\d+)');
    expect(groupOf('scans/patient_12/slice_3.png')).toBe('patient_12');
    expect(groupOf('scans/other/slice_3.png')).toBeNull();
  });

  it('runs patterns that backtrack catastrophically in JavaScript in milliseconds', () => {
    const groupOf = compileGroupPattern('^((a+)+)$');
    const started = performance.now();
    // a JavaScript RegExp doubles its work per character here: 40 characters would take hours
    for (let i = 0; i < 100; i++) expect(groupOf(`${'a'.repeat(40)}b`)).toBeNull();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(groupOf('aaaa')).toBe('aaaa');
  });

  it('refuses backreferences, lookaround, a missing group and over-long patterns with the reason', () => {
    expect(() => compileGroupPattern('(a)\\1')).toThrow(/linear-time matcher.*no backreferences/);
    expect(() => compileGroupPattern('(?=a)(a)')).toThrow(/linear-time matcher/);
    expect(() => compileGroupPattern('patient_\\d+')).toThrow(/one capture group/);
    expect(() => compileGroupPattern(`(${'a'.repeat(maxGroupPatternLength)})`)).toThrow(/longer than/);
  });
});
