import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../files/atomicFile';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Files addressed by their sha256 under <dataDir>/store/ab/<sha> (one level:
 * at most 256 folders, as creating folders costs more than the writes): the same
 * bytes are stored once, and a moved or deleted source folder breaks nothing.
 * Writes go through the atomic writer (a temp file renamed into place), so a
 * crash never leaves a half-written file under a valid name.
 */
export class ContentStore {
  /** folders known to exist: a mkdir per file was a third of the import time */
  private readonly knownDirs = new Set<string>();

  constructor(readonly root: string) {
    mkdirSync(root, { recursive: true });
  }

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: "${sha256}"`);
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }

  has(sha256: string): boolean {
    return existsSync(this.pathOf(sha256));
  }

  /** Stores the bytes (once) and returns their sha256. */
  put(bytes: Uint8Array, knownSha256?: string): string {
    const sha = knownSha256 ?? sha256Hex(bytes);
    const target = this.pathOf(sha);
    if (existsSync(target)) return sha;
    const dir = path.dirname(target);
    if (!this.knownDirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.knownDirs.add(dir);
    }
    // no fsync: it would halve the import rate, and the catalog rows that name
    // the file are committed with synchronous=NORMAL (safe against a crash, not a power loss) anyway
    writeFileAtomic(target, bytes, { durable: false, makeFolder: false });
    return sha;
  }

  read(sha256: string): Uint8Array {
    const file = this.pathOf(sha256);
    try {
      return readFileSync(file);
    } catch {
      throw new Error(`stored file ${sha256} is missing from ${this.root}`);
    }
  }
}
