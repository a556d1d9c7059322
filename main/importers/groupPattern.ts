import { RE2JS } from 're2js';

/** Longest group pattern accepted: a path-shaped key needs a few dozen characters. */
export const maxGroupPatternLength = 500;

/** Longest relative path a pattern is run over (paths are bounded by the OS anyway; this bounds the work). */
const maxSubjectLength = 4096;

/**
 * The user's groupPattern, compiled for RE2's linear-time matcher (re2js): no
 * backtracking, so `^(a+)+$` over any file name takes microseconds. RE2 syntax
 * is JavaScript's minus backreferences and lookaround, which are refused with
 * a clear message.
 */
export function compileGroupPattern(source: string): (subject: string) => string | null {
  if (source.length > maxGroupPatternLength) throw new Error(`groupPattern is longer than ${maxGroupPatternLength} characters`);
  let pattern: RE2JS;
  try {
    pattern = RE2JS.compile(source);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`groupPattern is not a valid regular expression for the linear-time matcher (no backreferences or lookaround): ${detail}`);
  }
  if (pattern.groupCount() < 1) throw new Error('groupPattern needs one capture group: the part of the path that is the group key, e.g. (patient_\\d+)');
  return (subject) => {
    const matcher = pattern.matcher(subject.slice(0, maxSubjectLength));
    return matcher.find() ? (matcher.group(1) ?? null) : null;
  };
}
