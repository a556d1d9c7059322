import { afterEach } from 'vitest';
import path from 'node:path';
import { openCatalog, type Catalog } from '../../../main/catalog/openCatalog';
import { tempDir } from './generatedFixtures';

/**
 * Call once at the top of a test file: returns a function that makes a fresh
 * source folder and catalog per test, both removed after the test.
 */
export function importWorkspaces(): () => { root: string; catalog: Catalog } {
  const cleanups: Array<() => void> = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));
  return () => {
    const t = tempDir();
    const catalog = openCatalog(path.join(t.dir, 'data'));
    cleanups.push(() => {
      catalog.close();
      t.cleanup();
    });
    return { root: path.join(t.dir, 'src'), catalog };
  };
}
