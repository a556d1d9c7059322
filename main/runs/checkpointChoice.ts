import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RunFolder } from './runFolder';

/** The run's checkpoints that exist, in the order a resume tries them: latest, then best. */
export function existingCheckpoints(folder: RunFolder): Array<{ dir: string; which: 'latest' | 'best' }> {
  const all = [
    { dir: folder.latest, which: 'latest' as const },
    { dir: folder.best, which: 'best' as const },
  ];
  return all.filter((c) => existsSync(path.join(c.dir, 'checkpoint.json')));
}
