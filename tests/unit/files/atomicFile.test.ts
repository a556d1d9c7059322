import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { previousFolder, readableFolder, writeFileAtomic, writeFolderAtomic, writeJsonAtomic } from '../../../main/files/atomicFile';

const roots: string[] = [];
afterEach(() => roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true })));
function root(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'atomic-'));
  roots.push(dir);
  return dir;
}

describe('the atomic writer', () => {
  it('writes and replaces a file, making its folder, and leaves no temporary file', () => {
    const dir = root();
    const file = path.join(dir, 'a', 'b', 'status.json');
    writeJsonAtomic(file, { state: 'queued' });
    writeJsonAtomic(file, { state: 'running' });
    writeFileAtomic(path.join(dir, 'a', 'cache.bin'), new Uint8Array([1, 2, 3]), { durable: false });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ state: 'running' });
    expect(Array.from(readFileSync(path.join(dir, 'a', 'cache.bin')))).toEqual([1, 2, 3]);
    expect(readdirSync(path.join(dir, 'a')).sort()).toEqual(['b', 'cache.bin']);
    expect(readdirSync(path.join(dir, 'a', 'b'))).toEqual(['status.json']);
  });

  it('swaps a folder in whole, and keeps the old one when building the new one fails', () => {
    const dir = root();
    const target = path.join(dir, 'latest');
    writeFolderAtomic(target, (tmp) => writeFileSync(path.join(tmp, 'checkpoint.json'), '{"step":1}'));
    writeFolderAtomic(target, (tmp) => writeFileSync(path.join(tmp, 'checkpoint.json'), '{"step":2}'));
    expect(readFileSync(path.join(target, 'checkpoint.json'), 'utf8')).toBe('{"step":2}');
    expect(() =>
      writeFolderAtomic(target, (tmp) => {
        writeFileSync(path.join(tmp, 'checkpoint.json'), '{"step":3, half');
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(readFileSync(path.join(target, 'checkpoint.json'), 'utf8')).toBe('{"step":2}');
    expect(readdirSync(dir)).toEqual(['latest']);
  });

  it('reads the previous folder when a swap was cut between its two renames', () => {
    const dir = root();
    const target = path.join(dir, 'model');
    writeFolderAtomic(target, (tmp) => writeFileSync(path.join(tmp, 'model.json'), '{}'));
    expect(readableFolder(target, 'model.json')).toBe(target);
    renameSync(target, previousFolder(target));
    expect(existsSync(target)).toBe(false);
    expect(readableFolder(target, 'model.json')).toBe(previousFolder(target));
  });
});
