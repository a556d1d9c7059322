/**
 * The checkpoint on disk: checkpoint.json (metadata + an index of named
 * float32 tensors) and tensors.bin (their values, concatenated). Written by the
 * atomic writer (temporary folder, fsync, swap), so a crash never leaves a
 * half-written `latest`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readableFolder, writeFolderAtomic } from '../../files/atomicFile';

export const checkpointFormat = 'umedpt-checkpoint';

export interface NamedArray {
  key: string;
  shape: number[];
  values: Float32Array;
}

interface TensorIndexEntry {
  key: string;
  shape: number[];
  offset: number;
  length: number;
}

export function writeCheckpointFiles(dir: string, meta: Record<string, unknown>, arrays: NamedArray[]): void {
  let offset = 0;
  const index: TensorIndexEntry[] = arrays.map((a) => {
    const entry = { key: a.key, shape: a.shape, offset, length: a.values.length };
    offset += a.values.length;
    return entry;
  });
  const data = new Float32Array(offset);
  arrays.forEach((a, i) => data.set(a.values, index[i]!.offset));
  writeFolderAtomic(dir, (tmp) => {
    writeFileSync(path.join(tmp, 'tensors.bin'), Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    writeFileSync(path.join(tmp, 'checkpoint.json'), JSON.stringify({ format: checkpointFormat, version: 1, ...meta, tensors: index }, null, 1));
  });
}

export function readCheckpointFiles(requested: string): { meta: Record<string, unknown>; arrays: Map<string, NamedArray> } {
  const dir = readableFolder(requested, 'checkpoint.json');
  const jsonPath = path.join(dir, 'checkpoint.json');
  const binPath = path.join(dir, 'tensors.bin');
  if (!existsSync(jsonPath) || !existsSync(binPath)) throw new Error(`${dir}: not a checkpoint (needs checkpoint.json and tensors.bin)`);
  const meta = JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, unknown> & { tensors?: TensorIndexEntry[] };
  if (meta.format !== checkpointFormat) throw new Error(`${jsonPath}: format is '${String(meta.format)}', expected '${checkpointFormat}'`);
  const bytes = readFileSync(binPath);
  const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const arrays = new Map<string, NamedArray>();
  for (const entry of meta.tensors ?? []) {
    if (entry.offset + entry.length > data.length) throw new Error(`${binPath}: tensor '${entry.key}' runs past the end of the file (truncated?)`);
    arrays.set(entry.key, { key: entry.key, shape: entry.shape, values: data.slice(entry.offset, entry.offset + entry.length) });
  }
  return { meta, arrays };
}
