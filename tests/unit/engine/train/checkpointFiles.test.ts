/** checkpoint.json + tensors.bin on disk: exact round trip, clear errors, atomic replacement. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkpointFormat, readCheckpointFiles, writeCheckpointFiles, type NamedArray } from '../../../../main/engine/train/checkpointFiles';

const root = mkdtempSync(path.join(os.tmpdir(), 'umedpt-ckpt-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** tensors of different sizes and ranks, values that are not round numbers */
const arrays: NamedArray[] = [
  { key: 'shared/conv1/kernel', shape: [2, 3], values: Float32Array.from([0.1, -2.5, 3.25, 1e-7, -0, 42]) },
  { key: 'head/bias', shape: [5], values: Float32Array.from([1, 2, 3, 4, 5].map((v) => v / 3)) },
  { key: 'adam/m/0', shape: [1, 1, 4], values: Float32Array.from([-1e30, 1e30, 7, -7]) },
];

describe('checkpoint files', () => {
  it('round-trips metadata and every tensor exactly, each at its own offset', () => {
    const dir = path.join(root, 'latest');
    writeCheckpointFiles(dir, { step: 120, seed: 7, tasks: ['a', 'b'] }, arrays);
    const { meta, arrays: read } = readCheckpointFiles(dir);
    expect(meta).toMatchObject({ format: checkpointFormat, version: 1, step: 120, seed: 7, tasks: ['a', 'b'] });
    expect(checkpointFormat).toBe('umedpt-checkpoint');
    expect([...read.keys()]).toEqual(arrays.map((a) => a.key));
    for (const a of arrays) {
      const got = read.get(a.key)!;
      expect(got.key).toBe(a.key);
      expect(got.shape).toEqual(a.shape);
      expect(got.values).toBeInstanceOf(Float32Array);
      expect(Array.from(got.values)).toEqual(Array.from(a.values));
    }
    expect(readFileSync(path.join(dir, 'tensors.bin')).length).toBe(4 * (6 + 5 + 4));
    const index = (JSON.parse(readFileSync(path.join(dir, 'checkpoint.json'), 'utf8')) as { tensors: Array<{ offset: number; length: number }> }).tensors;
    expect(index.map((e) => [e.offset, e.length])).toEqual([
      [0, 6],
      [6, 5],
      [11, 4],
    ]);
  });

  it('a copy read back is independent of the file buffer', () => {
    const dir = path.join(root, 'independent');
    writeCheckpointFiles(dir, {}, arrays);
    const first = readCheckpointFiles(dir).arrays.get('head/bias')!;
    first.values[0] = 99;
    expect(readCheckpointFiles(dir).arrays.get('head/bias')!.values[0]).toBeCloseTo(1 / 3, 6);
    expect(readCheckpointFiles(dir).arrays.get('shared/conv1/kernel')!.values.length).toBe(6);
  });

  it('replaces an older checkpoint whole, leaving no temporary folder', () => {
    const dir = path.join(root, 'replaced');
    writeCheckpointFiles(dir, { step: 1 }, arrays);
    writeCheckpointFiles(dir, { step: 2 }, [arrays[1]!]);
    const { meta, arrays: read } = readCheckpointFiles(dir);
    expect(meta.step).toBe(2);
    expect([...read.keys()]).toEqual(['head/bias']);
    expect(readdirSync(root).filter((name) => name.startsWith('replaced'))).toEqual(['replaced']);
  });

  it('no tensors at all is a valid checkpoint', () => {
    const dir = path.join(root, 'empty');
    writeCheckpointFiles(dir, { step: 0 }, []);
    expect(readCheckpointFiles(dir).arrays.size).toBe(0);
    // an index without a tensors list reads as none (written by hand: no manifest, as before manifests)
    writeFileSync(path.join(dir, 'checkpoint.json'), JSON.stringify({ format: checkpointFormat, version: 1 }));
    rmSync(path.join(dir, 'manifest.json'));
    expect(readCheckpointFiles(dir).arrays.size).toBe(0);
  });

  it('names a folder that is not a checkpoint, a foreign format and a truncated tensor file', () => {
    const dir = path.join(root, 'broken');
    expect(() => readCheckpointFiles(dir)).toThrow(new RegExp(`${dir.replace(/[/\\]/g, '.')}: not a checkpoint \\(needs checkpoint.json and tensors.bin\\)`));
    writeCheckpointFiles(dir, {}, arrays);
    rmSync(path.join(dir, 'tensors.bin'));
    expect(() => readCheckpointFiles(dir)).toThrow(/not a checkpoint/);
    writeCheckpointFiles(dir, {}, arrays);
    rmSync(path.join(dir, 'checkpoint.json'));
    expect(() => readCheckpointFiles(dir)).toThrow(/not a checkpoint/);

    writeCheckpointFiles(dir, {}, arrays);
    const jsonPath = path.join(dir, 'checkpoint.json');
    const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(jsonPath, JSON.stringify({ ...json, format: 'keras' }));
    // the manifest written last names the change as damage ...
    expect(() => readCheckpointFiles(dir)).toThrow(/damaged.*checkpoint\.json/);
    // ... and without one (a checkpoint from before manifests) the index itself is checked
    rmSync(path.join(dir, 'manifest.json'));
    expect(() => readCheckpointFiles(dir)).toThrow(/checkpoint.json: format is 'keras', expected 'umedpt-checkpoint'/);

    writeCheckpointFiles(dir, {}, arrays);
    const bin = path.join(dir, 'tensors.bin');
    // one float short: the last tensor runs past the end; the others still fit
    writeFileSync(bin, readFileSync(bin).subarray(0, 4 * 14));
    expect(() => readCheckpointFiles(dir)).toThrow(/damaged.*tensors\.bin has 56 bytes/);
    rmSync(path.join(dir, 'manifest.json'));
    expect(() => readCheckpointFiles(dir)).toThrow(/tensor 'adam\/m\/0' runs past the end of tensors.bin \(truncated\)/);
    // exactly the right length reads
    writeCheckpointFiles(dir, {}, arrays);
    expect(existsSync(bin)).toBe(true);
    expect(readCheckpointFiles(dir).arrays.size).toBe(3);
  });
});
