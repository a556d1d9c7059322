/**
 * The one atomic writer of main/: a file or a folder is written beside its
 * target under a temporary name and renamed into place, so a reader never
 * sees half of it, whenever the writer dies. Durable writes (the default:
 * run folders, checkpoints, models) also fsync the data and the folder, so the
 * new version survives a power loss too; caches and the content store (whose
 * rows the catalog commits with synchronous=NORMAL) skip the fsync, which
 * costs ~9 ms a file here and would halve the import rate.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

export interface AtomicWriteOptions {
  /** fsync the data and the folder before and after the rename (default true) */
  durable?: boolean;
  /** make the target's folder first (default true; the content store knows its folders exist) */
  makeFolder?: boolean;
}

function temporaryName(target: string, kind: 'tmp' | 'tmpdir'): string {
  return `${target}.${process.pid}.${randomBytes(4).toString('hex')}.${kind}`;
}

function writeAll(file: string, data: string | Uint8Array, durable: boolean): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const fd = openSync(file, 'w');
  try {
    let offset = 0;
    while (offset < bytes.byteLength) offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes a folder's entries (a rename into it) durable; some filesystems refuse to open a folder for that. */
function syncFolder(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* best effort */
  }
}

function syncTree(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) syncTree(full);
    else {
      const fd = openSync(full, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
  }
  syncFolder(dir);
}

/** Writes `data` to `file` (its folder made as needed): all of it or, after a crash, the old file. */
export function writeFileAtomic(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const durable = options.durable ?? true;
  if (options.makeFolder ?? true) mkdirSync(path.dirname(file), { recursive: true });
  const temp = temporaryName(file, 'tmp');
  try {
    writeAll(temp, data, durable);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  if (durable) syncFolder(path.dirname(file));
}

/** A JSON file (indented, so a person can read it), written as writeFileAtomic does. */
export function writeJsonAtomic(file: string, value: unknown, options: AtomicWriteOptions = {}): void {
  writeFileAtomic(file, JSON.stringify(value, null, 2), options);
}

/** Where writeFolderAtomic keeps the old folder while it swaps the new one in. */
export function previousFolder(dir: string): string {
  return `${path.resolve(dir)}.previous`;
}

/**
 * The folder to read: `dir`, or its previous version when a writeFolderAtomic
 * was cut between its two renames (then only the previous one is complete).
 */
export function readableFolder(dir: string, marker: string): string {
  if (!existsSync(path.join(dir, marker)) && existsSync(path.join(previousFolder(dir), marker))) return previousFolder(dir);
  return dir;
}

/**
 * Builds a folder's new content with `build(tempDir)` beside it, then swaps it
 * in: the old folder goes to `<dir>.previous` for the moment between the two
 * renames, then away. A crash leaves the complete old or new folder.
 */
export function writeFolderAtomic(dir: string, build: (tempDir: string) => void, options: AtomicWriteOptions = {}): void {
  const durable = options.durable ?? true;
  const target = path.resolve(dir);
  mkdirSync(path.dirname(target), { recursive: true });
  const temp = temporaryName(target, 'tmpdir');
  mkdirSync(temp);
  try {
    build(temp);
    if (durable) syncTree(temp);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  const previous = previousFolder(target);
  // a stale previous may go only while the target holds a complete folder
  if (existsSync(target)) {
    rmSync(previous, { recursive: true, force: true });
    renameSync(target, previous);
  }
  renameSync(temp, target);
  if (durable) syncFolder(path.dirname(target));
  rmSync(previous, { recursive: true, force: true });
}
