/**
 * The mutation modules' line ranges are found by the text that opens and
 * closes them, so a file that grows mutates the same code, and one whose
 * markers moved away fails loudly instead of mutating something else.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { linesBetween, mutationModules } from '../../../scripts/mutation/mutationModules';

/** a path, or a glob within one folder (dir/*.ts), that names at least one file */
function matchesAFile(pattern: string): boolean {
  if (!pattern.includes('*')) return existsSync(pattern);
  const folder = path.dirname(pattern);
  return existsSync(folder) && readdirSync(folder).some((name) => path.matchesGlob(path.join(folder, name), pattern));
}

describe('mutation module ranges', () => {
  const source = ['// header', 'export function first() {', '  return 1;', '}', 'const end = 2;', 'const end = 3;'].join('\n');

  it('spans the line with the opening text to the first later line with the closing text', () => {
    expect(linesBetween('x.ts', 'export function first(', 'const end', source)).toBe('x.ts:2-5');
    expect(linesBetween('x.ts', 'return 1', 'return 1', `${source}\n  return 1;`)).toBe('x.ts:3-7');
  });

  it('names the file and the missing text when a marker is gone', () => {
    expect(() => linesBetween('x.ts', 'function gone(', '}', source)).toThrow(/x\.ts has no line with "function gone\("/);
    expect(() => linesBetween('x.ts', 'const end = 3', 'const end', source)).toThrow(/x\.ts has no line with "const end" after "const end = 3"/);
  });

  it('every module names files and tests that exist', () => {
    for (const module of mutationModules) {
      for (const pattern of module.mutate) expect(matchesAFile(pattern.replace(/:\d+-\d+$/, '')), `${module.name}: ${pattern}`).toBe(true);
      for (const test of module.tests) expect(existsSync(test), `${module.name}: ${test}`).toBe(true);
    }
  });
});
