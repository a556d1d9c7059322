/**
 * Checkpoint integrity: manifest.json, written last inside the checkpoint's temporary folder, holds the size
 * and SHA-256 of every other file. Readers verify it before using a byte, so a truncated or overwritten
 * tensors.bin is named as damaged instead of resuming silently (or failing with a raw typed-array error).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const manifestName = 'manifest.json';

export class CheckpointDamaged extends Error {
  constructor(
    readonly dir: string,
    readonly problem: string,
  ) {
    super(`${dir}: damaged checkpoint: ${problem}`);
    this.name = 'CheckpointDamaged';
  }
}

interface Manifest {
  format: 'umedpt-checkpoint-manifest';
  files: Record<string, { bytes: number; sha256: string }>;
}

function sha256Of(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Writes the manifest of every file in dir (call it after the last other file is written). */
export function writeCheckpointManifest(dir: string): void {
  const files: Manifest['files'] = {};
  for (const name of readdirSync(dir).sort()) {
    if (name === manifestName) continue;
    const file = path.join(dir, name);
    files[name] = { bytes: statSync(file).size, sha256: sha256Of(file) };
  }
  writeFileSync(path.join(dir, manifestName), JSON.stringify({ format: 'umedpt-checkpoint-manifest', files } satisfies Manifest, null, 1));
}

/** Why the checkpoint in dir is damaged, or null when its manifest holds (checkpoints from before manifests: null). */
export function checkpointProblem(dir: string): string | null {
  const manifestFile = path.join(dir, manifestName);
  if (!existsSync(manifestFile)) return null;
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  } catch {
    return `${manifestName} is not readable JSON`;
  }
  if (manifest.format !== 'umedpt-checkpoint-manifest' || typeof manifest.files !== 'object' || manifest.files === null) return `${manifestName} is not a checkpoint manifest`;
  for (const [name, expected] of Object.entries(manifest.files)) {
    const file = path.join(dir, name);
    if (!existsSync(file)) return `${name} is missing`;
    const bytes = statSync(file).size;
    if (bytes !== expected.bytes) return `${name} has ${bytes} bytes, ${expected.bytes} were written (truncated or overwritten)`;
    if (sha256Of(file) !== expected.sha256) return `${name} does not match its checksum (overwritten or corrupted on disk)`;
  }
  return null;
}

/** Throws CheckpointDamaged when the manifest does not hold. */
export function verifyCheckpoint(dir: string): void {
  const problem = checkpointProblem(dir);
  if (problem) throw new CheckpointDamaged(dir, problem);
}

/** The first non-finite value among named arrays, as "tensor 'key' holds NaN", or null. */
export function nonFiniteValue(arrays: Iterable<{ key: string; values: Float32Array }>): string | null {
  for (const array of arrays) {
    const values = array.values;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      // v - v is NaN exactly for NaN and ±Infinity: one test in the hot loop
      if (v - v !== 0) return `tensor '${array.key}' holds ${Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity'} (at index ${i})`;
    }
  }
  return null;
}
