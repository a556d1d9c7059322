/**
 * The GPU check folder (scripts/gpu-check): its manifest names every file with
 * size and hash, and the check refuses a folder with a required file missing,
 * a file changed or added since, or over 64 MiB. The folder prepare.ts made
 * (dist/gpu-check) is checked too where one exists.
 */
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gpuCheckSizeLimit, requiredGpuCheckFiles, verifyGpuCheckFolder, writeGpuCheckManifest } from '../../../scripts/gpu-check/gpuCheckManifest';

const root = mkdtempSync(path.join(os.tmpdir(), 'umedpt-gpu-check-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function folder(name: string): string {
  const dir = path.join(root, name);
  for (const f of requiredGpuCheckFiles) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), `contents of ${f}\n`);
  }
  writeGpuCheckManifest(dir, { node: '20.20.2', tfjs: '4.22.0', webgpu: '0.6.2' });
  return dir;
}

describe('the GPU check manifest', () => {
  it('a complete folder passes; a missing, changed or extra file is named', () => {
    const dir = folder('complete');
    expect(verifyGpuCheckFolder(dir)).toEqual([]);
    rmSync(path.join(dir, 'engine/node_modules/webgpu/dist/linux-x64/dawn.node'));
    writeFileSync(path.join(dir, 'run.sh'), 'echo tampered\n');
    writeFileSync(path.join(dir, 'stray.txt'), 'x');
    expect(verifyGpuCheckFolder(dir).sort()).toEqual([
      'engine/node_modules/webgpu/dist/linux-x64/dawn.node: in the manifest, missing from the folder',
      'run.sh: changed since the manifest was written',
      'stray.txt: in the folder, not in the manifest',
    ]);
  });

  it('a manifest without a required file, or a folder over 64 MiB, is refused', () => {
    const dir = folder('partial');
    rmSync(path.join(dir, 'lib/libvulkan.so.1'));
    writeGpuCheckManifest(dir, { node: '20.20.2', tfjs: '4.22.0', webgpu: '0.6.2' });
    expect(verifyGpuCheckFolder(dir)).toEqual(['lib/libvulkan.so.1: required, not in the manifest']);

    const big = folder('big');
    truncateSync(path.join(big, 'node/node.xz'), gpuCheckSizeLimit);
    writeGpuCheckManifest(big, { node: '20.20.2', tfjs: '4.22.0', webgpu: '0.6.2' });
    expect(verifyGpuCheckFolder(big)).toEqual([expect.stringMatching(/^the folder holds 64\.0 MiB, over the 64 MiB limit$/)]);
    expect(verifyGpuCheckFolder(path.join(root, 'nothing'))).toEqual([`${path.join(root, 'nothing', 'manifest.json')}: missing`]);
  });

  const prepared = path.resolve(import.meta.dirname, '../../../dist/gpu-check');
  it('the folder prepare.ts made is complete and under 64 MiB', (ctx) => {
    if (!existsSync(path.join(prepared, '.prepared'))) ctx.skip(`no prepared folder at ${prepared} (npx tsx scripts/gpu-check/prepare.ts makes one)`);
    expect(verifyGpuCheckFolder(prepared)).toEqual([]);
  });
});
