import { readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Symbolic links under a folder: the importers never follow them (one could point anywhere on the disk),
 * and the import report lists each one with that reason instead of leaving it out without a word.
 * Bounded: at most `limit` links and `maxEntries` directory entries are looked at.
 */
export function symlinksUnder(root: string, limit = 1000, maxEntries = 200_000): Array<{ path: string; reason: string }> {
  const out: Array<{ path: string; reason: string }> = [];
  let seen = 0;
  const walk = (dir: string, prefix: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (out.length >= limit || ++seen > maxEntries) return;
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) out.push({ path: rel, reason: 'symbolic link: not followed (links may point outside the dataset)' });
      else if (entry.isDirectory()) walk(path.join(dir, entry.name), rel);
    }
  };
  walk(root, '');
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
