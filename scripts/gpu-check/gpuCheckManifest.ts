/**
 * The GPU check folder's manifest (manifest.json): every file with its size
 * and sha256, the versions inside, the total. verifyGpuCheckFolder says what
 * is wrong with a folder: a required file missing, a file changed since the
 * manifest, or the whole over 64 MiB.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const gpuCheckSizeLimit = 64 * 2 ** 20;

/** what run.sh needs, relative to the folder */
export const requiredGpuCheckFiles = [
  'run.sh',
  'README.txt',
  'node/node.xz',
  'engine/webgpuCheck.mjs',
  'engine/node_modules/webgpu/package.json',
  'engine/node_modules/webgpu/index.js',
  'engine/node_modules/webgpu/dist/linux-x64/dawn.node',
  'torch/pytorch_check.py',
  'torch/umedpt_trainer/__init__.py',
  'torch/umedpt_trainer/model.py',
  'torch/umedpt_trainer/checkpoint.py',
  'torch/umedpt_trainer/losses.py',
  'lib/libvulkan.so.1',
] as const;

export interface GpuCheckManifest {
  format: 'umedpt-gpu-check';
  createdAt: string;
  versions: { node: string; tfjs: string; webgpu: string };
  files: Array<{ path: string; bytes: number; sha256: string }>;
  totalBytes: number;
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    return e.isDirectory() ? listFiles(dir, rel) : [rel];
  });
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** the files of the folder but the manifest and the marker */
function contentFiles(dir: string): string[] {
  return listFiles(dir)
    .filter((f) => f !== 'manifest.json' && f !== '.prepared')
    .sort();
}

export function writeGpuCheckManifest(dir: string, versions: GpuCheckManifest['versions']): GpuCheckManifest {
  const files = contentFiles(dir).map((f) => ({ path: f, bytes: statSync(path.join(dir, f)).size, sha256: sha256(path.join(dir, f)) }));
  const manifest: GpuCheckManifest = { format: 'umedpt-gpu-check', createdAt: new Date().toISOString(), versions, files, totalBytes: 0 };
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 1));
  manifest.totalBytes = files.reduce((n, f) => n + f.bytes, 0) + statSync(path.join(dir, 'manifest.json')).size;
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 1));
  return manifest;
}

/** Everything wrong with a prepared folder, one line each; [] when it is complete. */
export function verifyGpuCheckFolder(dir: string): string[] {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) return [`${manifestFile}: missing`];
  let manifest: GpuCheckManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as GpuCheckManifest;
  } catch (error) {
    return [`${manifestFile}: not JSON (${(error as Error).message})`];
  }
  if (manifest.format !== 'umedpt-gpu-check' || !Array.isArray(manifest.files)) return [`${manifestFile}: not a GPU check manifest`];
  const problems: string[] = [];
  const listed = new Map(manifest.files.map((f) => [f.path, f]));
  for (const required of requiredGpuCheckFiles) if (!listed.has(required)) problems.push(`${required}: required, not in the manifest`);
  for (const f of manifest.files) {
    const file = path.join(dir, f.path);
    if (!existsSync(file)) problems.push(`${f.path}: in the manifest, missing from the folder`);
    else if (statSync(file).size !== f.bytes || sha256(file) !== f.sha256) problems.push(`${f.path}: changed since the manifest was written`);
  }
  for (const f of contentFiles(dir)) if (!listed.has(f)) problems.push(`${f}: in the folder, not in the manifest`);
  const total = contentFiles(dir).reduce((n, f) => n + statSync(path.join(dir, f)).size, 0) + statSync(manifestFile).size;
  if (total >= gpuCheckSizeLimit) problems.push(`the folder holds ${(total / 2 ** 20).toFixed(1)} MiB, over the ${gpuCheckSizeLimit / 2 ** 20} MiB limit`);
  return problems;
}
