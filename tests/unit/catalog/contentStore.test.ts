import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ContentStore, sha256Hex } from '../../../main/catalog/contentStore';
import { listFilesRecursive } from '../../../main/importers/fileWalk';
import { tempDir } from '../importers/generatedFixtures';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('ContentStore', () => {
  it('stores the same bytes once, under a path made from their sha256, with no temp files left', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const store = new ContentStore(path.join(t.dir, 'store'));
    const bytes = new TextEncoder().encode('pixels');
    const sha = store.put(bytes);
    expect(sha).toBe(sha256Hex(bytes));
    expect(store.put(bytes)).toBe(sha);
    expect(store.pathOf(sha)).toBe(path.join(t.dir, 'store', sha.slice(0, 2), sha));
    expect(listFilesRecursive(path.join(t.dir, 'store'))).toEqual([`${sha.slice(0, 2)}/${sha}`]);
    expect(Buffer.from(store.read(sha)).toString()).toBe('pixels');
    expect(readdirSync(path.dirname(store.pathOf(sha)))).toEqual([sha]);
  });

  it('names a missing file and refuses a malformed sha', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const store = new ContentStore(t.dir);
    expect(() => store.read('a'.repeat(64))).toThrow(/is missing/);
    expect(() => store.pathOf('../etc/passwd')).toThrow(/not a sha256/);
  });
});
