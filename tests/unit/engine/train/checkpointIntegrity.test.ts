import { describe, expect, it } from 'vitest';
import { mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeSync, closeSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readCheckpointFiles, writeCheckpointFiles } from '../../../../main/engine/train/checkpointFiles';
import { CheckpointDamaged, checkpointProblem, manifestName } from '../../../../main/engine/train/checkpointIntegrity';

function checkpoint(): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'umedpt-ckpt-')), 'latest');
  const values = Float32Array.from({ length: 4096 }, (_, i) => Math.sin(i));
  writeCheckpointFiles(dir, { savedAt: 'now' }, [{ key: 'w/0', shape: [64, 64], values }]);
  return dir;
}

function overwrite(file: string, offset: number, bytes: Uint8Array): void {
  const fd = openSync(file, 'r+');
  writeSync(fd, bytes, 0, bytes.length, offset);
  closeSync(fd);
}

describe('checkpoint manifest and verification', () => {
  it('writes a manifest last, with the size and sha256 of every file, and reads back what it wrote', () => {
    const dir = checkpoint();
    const manifest = JSON.parse(readFileSync(path.join(dir, manifestName), 'utf8')) as { files: Record<string, { bytes: number; sha256: string }> };
    expect(Object.keys(manifest.files).sort()).toEqual(['checkpoint.json', 'tensors.bin']);
    expect(manifest.files['tensors.bin']!.bytes).toBe(4096 * 4);
    expect(manifest.files['tensors.bin']!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(checkpointProblem(dir)).toBeNull();
    expect(readCheckpointFiles(dir).arrays.get('w/0')!.values[1]).toBeCloseTo(Math.sin(1));
  });

  it('names 4 KB of NaN written into tensors.bin as damage (checksum), not a silent resume', () => {
    const dir = checkpoint();
    overwrite(path.join(dir, 'tensors.bin'), 1024, new Uint8Array(new Float32Array(1024).fill(Number.NaN).buffer));
    expect(checkpointProblem(dir)).toMatch(/tensors\.bin does not match its checksum/);
    expect(() => readCheckpointFiles(dir)).toThrow(CheckpointDamaged);
    expect(() => readCheckpointFiles(dir)).toThrow(/latest: damaged checkpoint: tensors\.bin does not match its checksum/);
  });

  it('names a truncated tensors.bin by its size, never "byte length of Float32Array should be a multiple of 4"', () => {
    const dir = checkpoint();
    truncateSync(path.join(dir, 'tensors.bin'), statSync(path.join(dir, 'tensors.bin')).size - 3);
    expect(() => readCheckpointFiles(dir)).toThrow(/damaged checkpoint: tensors\.bin has 16381 bytes, 16384 were written/);
    rmSync(path.join(dir, manifestName));
    // without a manifest (checkpoints from before manifests) the structure check still names it
    expect(() => readCheckpointFiles(dir)).toThrow(/damaged checkpoint: tensors\.bin has 16381 bytes, not a whole number of float32 values/);
  });

  it('finds NaN in a checkpoint without a manifest, and refuses to write non-finite weights', () => {
    const dir = checkpoint();
    rmSync(path.join(dir, manifestName));
    overwrite(path.join(dir, 'tensors.bin'), 400, new Uint8Array(new Float32Array([Number.POSITIVE_INFINITY]).buffer));
    expect(() => readCheckpointFiles(dir)).toThrow(/tensor 'w\/0' holds Infinity \(at index 100\)/);
    const values = new Float32Array(16);
    values[5] = Number.NaN;
    expect(() => writeCheckpointFiles(path.join(dir, '..', 'nan'), {}, [{ key: 'w/1', shape: [16], values }])).toThrow(/weights are no longer finite \(tensor 'w\/1' holds NaN/);
  });
});
