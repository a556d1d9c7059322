import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/** Limits an archive is read under; a file over any of them fails with its reason before it is inflated. */
export interface ZipCaps {
  maxEntries: number;
  /** uncompressed bytes one entry may declare (and really hold) */
  maxEntryBytes: number;
  /** uncompressed bytes of all entries read together */
  maxTotalBytes: number;
  /** uncompressed : compressed ratio an entry may have once it is larger than ratioFloorBytes */
  maxRatio: number;
  ratioFloorBytes: number;
}

/**
 * Image arrays deflate 1.5-10:1 in practice (MedMNIST npz 2-5:1); zeros reach 1000:1, which only a bomb or an
 * empty array has. Entries under 16 MiB (labels, small arrays) may compress as well as they like.
 */
export const defaultZipCaps: ZipCaps = {
  maxEntries: 4096,
  maxEntryBytes: 2 * 1024 ** 3,
  maxTotalBytes: 4 * 1024 ** 3,
  maxRatio: 200,
  ratioFloorBytes: 16 * 1024 * 1024,
};

export interface ZipEntryInfo {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc: number;
  localHeaderOffset: number;
}

export class ArchiveRefused extends Error {}

function megabytes(n: number): string {
  return n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GB` : `${(n / 1024 ** 2).toFixed(1)} MB`;
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const got = readSync(fd, buffer, 0, length, position);
  return buffer.subarray(0, got);
}

/** ZIP64 extended sizes (extra field 0x0001) where the 32-bit fields are saturated. */
function zip64Sizes(extra: Buffer, entry: { size: number; compressedSize: number; localHeaderOffset: number }): void {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let p = at + 4;
      const next = () => {
        const value = p + 8 <= at + 4 + length ? Number(extra.readBigUInt64LE(p)) : NaN;
        p += 8;
        return value;
      };
      if (entry.size === 0xffffffff) entry.size = next();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next();
      return;
    }
    at += 4 + length;
  }
}

/** The central directory: names and declared sizes, read from the end of the file without inflating anything. */
export function listZipEntries(fd: number, fileSize: number, label: string, caps: ZipCaps = defaultZipCaps): ZipEntryInfo[] {
  const tailLength = Math.min(fileSize, 65_557);
  const tail = readAt(fd, fileSize - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ArchiveRefused(`${label}: not a zip archive (no end-of-archive record)`);
  let count = tail.readUInt16LE(eocd + 10);
  let dirSize = tail.readUInt32LE(eocd + 12);
  let dirOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || dirOffset === 0xffffffff) {
    // ZIP64 end record, located by its locator just before the classic one
    const locator = eocd - 20;
    if (locator < 0 || tail.readUInt32LE(locator) !== 0x07064b50) throw new ArchiveRefused(`${label}: damaged ZIP64 archive (no locator)`);
    const record = readAt(fd, Number(tail.readBigUInt64LE(locator + 8)), 56);
    if (record.length < 56 || record.readUInt32LE(0) !== 0x06064b50) throw new ArchiveRefused(`${label}: damaged ZIP64 archive (no end record)`);
    count = Number(record.readBigUInt64LE(32));
    dirSize = Number(record.readBigUInt64LE(40));
    dirOffset = Number(record.readBigUInt64LE(48));
  }
  if (count > caps.maxEntries) throw new ArchiveRefused(`${label}: ${count} entries, over the limit of ${caps.maxEntries}`);
  if (dirOffset + dirSize > fileSize || dirSize > 64 * 1024 * 1024) throw new ArchiveRefused(`${label}: damaged zip archive (central directory outside the file)`);
  const dir = readAt(fd, dirOffset, dirSize);
  const entries: ZipEntryInfo[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > dir.length || dir.readUInt32LE(at) !== 0x02014b50) throw new ArchiveRefused(`${label}: damaged zip archive (central directory entry ${i + 1})`);
    const nameLength = dir.readUInt16LE(at + 28);
    const extraLength = dir.readUInt16LE(at + 30);
    const commentLength = dir.readUInt16LE(at + 32);
    const entry: ZipEntryInfo = {
      name: dir.toString('utf8', at + 46, at + 46 + nameLength),
      method: dir.readUInt16LE(at + 10),
      crc: dir.readUInt32LE(at + 16),
      compressedSize: dir.readUInt32LE(at + 20),
      size: dir.readUInt32LE(at + 24),
      localHeaderOffset: dir.readUInt32LE(at + 42),
    };
    zip64Sizes(dir.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), entry);
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Refuses an entry by what it declares, before a byte of it is inflated. */
export function checkDeclared(entry: ZipEntryInfo, label: string, caps: ZipCaps): void {
  const where = `${label}/${entry.name}`;
  if (!Number.isFinite(entry.size) || !Number.isFinite(entry.compressedSize)) throw new ArchiveRefused(`${where}: damaged size fields`);
  if (entry.method !== 0 && entry.method !== 8) throw new ArchiveRefused(`${where}: compression method ${entry.method} is not supported (stored or deflate only)`);
  if (entry.size > caps.maxEntryBytes) throw new ArchiveRefused(`${where}: declares ${megabytes(entry.size)} uncompressed, over the ${megabytes(caps.maxEntryBytes)} limit per entry`);
  if (entry.method === 0 && entry.size !== entry.compressedSize) throw new ArchiveRefused(`${where}: stored entry whose sizes disagree`);
  const ratio = entry.size / Math.max(1, entry.compressedSize);
  if (entry.size > caps.ratioFloorBytes && ratio > caps.maxRatio) {
    throw new ArchiveRefused(`${where}: would inflate ${megabytes(entry.compressedSize)} to ${megabytes(entry.size)} (${Math.round(ratio)}:1, over the ${caps.maxRatio}:1 limit) — refused as a likely zip bomb`);
  }
}

/**
 * Reads the entries `wanted` accepts, one at a time, under the caps: declared sizes and ratio are checked from
 * the central directory first, then each entry is inflated with its declared size as a hard output limit
 * (a liar is stopped at that size) and checked against its CRC.
 */
export function readZipEntries(file: string, wanted: (name: string) => boolean, caps: ZipCaps = defaultZipCaps): Map<string, Uint8Array> {
  const label = path.basename(file);
  const fd = openSync(file, 'r');
  try {
    const entries = listZipEntries(fd, fstatSync(fd).size, label, caps).filter((e) => wanted(e.name));
    let total = 0;
    for (const entry of entries) {
      checkDeclared(entry, label, caps);
      total += entry.size;
    }
    if (total > caps.maxTotalBytes) throw new ArchiveRefused(`${label}: entries declare ${megabytes(total)} uncompressed together, over the ${megabytes(caps.maxTotalBytes)} limit`);
    const out = new Map<string, Uint8Array>();
    for (const entry of entries) out.set(entry.name, inflateEntry(fd, entry, label));
    return out;
  } finally {
    closeSync(fd);
  }
}

function inflateEntry(fd: number, entry: ZipEntryInfo, label: string): Uint8Array {
  const where = `${label}/${entry.name}`;
  const local = readAt(fd, entry.localHeaderOffset, 30);
  if (local.length < 30 || local.readUInt32LE(0) !== 0x04034b50) throw new ArchiveRefused(`${where}: damaged zip archive (local header)`);
  const dataStart = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  const compressed = readAt(fd, dataStart, entry.compressedSize);
  if (compressed.length !== entry.compressedSize) throw new ArchiveRefused(`${where}: archive is truncated`);
  let data: Buffer;
  if (entry.method === 0) data = compressed;
  else {
    try {
      // the declared size bounds the output: an entry that inflates beyond it stops there
      data = zlib.inflateRawSync(compressed, { maxOutputLength: Math.max(1, entry.size) });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) throw new ArchiveRefused(`${where}: inflates beyond its declared ${megabytes(entry.size)} — refused as a likely zip bomb`);
      throw new ArchiveRefused(`${where}: damaged compressed data (${(error as Error).message})`);
    }
  }
  if (data.length !== entry.size) throw new ArchiveRefused(`${where}: holds ${data.length} bytes, its header declares ${entry.size}`);
  // zlib.crc32 arrived in Node 20.15; older runtimes skip the checksum, the size checks stand
  if (typeof zlib.crc32 === 'function' && zlib.crc32(data) >>> 0 !== entry.crc >>> 0) throw new ArchiveRefused(`${where}: checksum mismatch (damaged archive)`);
  return data;
}
