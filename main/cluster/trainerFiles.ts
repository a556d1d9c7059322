/** Where the PyTorch trainer shipped with the app lives (resources/cluster/trainer). */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const trainerPackage = 'umedpt_trainer';

export function trainerRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // packaged app: extraResources (electron-builder.yml); from source: the repository's resources/
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  const candidates = [
    ...(packaged ? [path.join(packaged, 'cluster', 'trainer')] : []),
    path.resolve(here, '..', '..', 'resources', 'cluster', 'trainer'),
    path.resolve(process.cwd(), 'resources', 'cluster', 'trainer'),
  ];
  const found = candidates.find((c) => existsSync(path.join(c, trainerPackage, '__main__.py')));
  if (!found) throw new Error(`the PyTorch trainer is missing (looked in ${candidates.join(', ')})`);
  return found;
}

/** the trainer's source files, relative to trainerRoot() */
export function trainerSourceFiles(): string[] {
  const dir = path.join(trainerRoot(), trainerPackage);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.py'))
    .sort()
    .map((f) => `${trainerPackage}/${f}`);
}
