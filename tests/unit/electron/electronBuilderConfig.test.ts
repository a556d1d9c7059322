import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
// @ts-expect-error -- plain ESM build script without type declarations
import { mainExternals } from '../../../scripts/buildElectron.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const configFile = path.join(repoRoot, 'electron-builder.yml');
const config = parse(readFileSync(configFile, 'utf8')) as Record<string, unknown> & {
  linux: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
  mac: { target: string[]; icon: string };
  files: string[];
  asarUnpack: string[];
  extraResources: Array<{ from: string; to: string }>;
  electronFuses: Record<string, boolean>;
};
const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  main: string;
  productName: string;
  dependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
};

/** Files under dir, relative to the repository root, with forward slashes. */
function listFiles(dir: string): string[] {
  const abs = path.join(repoRoot, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(repoRoot, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

/** electron-builder style glob ("**" any depth, "*" within one segment) as a RegExp. */
function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (glob.startsWith('**/', i)) {
      source += '(?:.*/)?';
      i += 2;
    } else if (glob.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (c === '*') source += '[^/]*';
    else source += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

describe('electron-builder.yml', () => {
  it('names the app and targets Linux (AppImage, deb), Windows (nsis) and macOS (dmg)', () => {
    expect(config.appId).toBe('org.umedpt.studio');
    expect(config.productName).toBe('UMedPT Studio');
    expect(config.productName).toBe(pkg.productName);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('packs the built app with package.json and node_modules, and its entry is package.json "main"', () => {
    expect(config.files).toEqual(expect.arrayContaining(['dist/**', 'package.json', 'node_modules/**']));
    expect(config.files.some((pattern) => globToRegExp(pattern).test(pkg.main))).toBe(true);
    expect(config.asar).toBe(true);
    expect(config.extraResources).toContainEqual(expect.objectContaining({ from: 'resources/samples', to: 'samples' }));
  });

  it('unpacks native modules and every installed .wasm binary from the asar', () => {
    const patterns = config.asarUnpack.map(globToRegExp);
    const unpacked = (file: string) => patterns.some((re) => re.test(file));
    expect(unpacked('node_modules/better-sqlite3/build/Release/better_sqlite3.node')).toBe(true);
    expect(unpacked('node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node')).toBe(true);
    expect(unpacked('node_modules/@tensorflow/tfjs-node-gpu/deps/lib/libtensorflow.so.2')).toBe(true);
    const shippedWasm = [
      ...listFiles('node_modules/@tensorflow/tfjs-backend-wasm/dist'),
      ...listFiles('node_modules/@cornerstonejs/codec-charls/dist'),
      ...listFiles('node_modules/@cornerstonejs/codec-openjpeg/dist'),
    ].filter((f) => f.endsWith('.wasm'));
    expect(shippedWasm.length).toBeGreaterThanOrEqual(5);
    for (const file of shippedWasm) expect(unpacked(file), file).toBe(true);
    for (const file of listFiles('node_modules/@resvg').filter((f) => f.endsWith('.node'))) expect(unpacked(file), file).toBe(true);
    // pure-JS code stays packed
    expect(unpacked('dist/electron/main.cjs')).toBe(false);
    expect(unpacked('node_modules/zod/index.js')).toBe(false);
  });

  it('every package left outside the esbuild bundle ships as a (optional) dependency', () => {
    const shipped = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.optionalDependencies)];
    for (const external of mainExternals as string[]) {
      const re = globToRegExp(external);
      expect(shipped.some((name) => re.test(name)), external).toBe(true);
    }
  });

  it('flips the hardening fuses, runAsNode off: only the Node launcher may fork, Electron starts every worker as a utility process', () => {
    const childProcess = listFiles('main').filter((file) => file.endsWith('.ts') && /from 'node:child_process'|require\('(node:)?child_process'\)/.test(readFileSync(path.join(repoRoot, file), 'utf8')));
    const forking = childProcess.filter((file) => /\bfork\(/.test(readFileSync(path.join(repoRoot, file), 'utf8')));
    expect(forking).toEqual(['main/workers/processLauncher.ts']);
    // other programs (python, sbatch, ssh), never Node itself, are started only by the cluster launchers
    expect(childProcess.filter((file) => !forking.includes(file) && !file.startsWith('main/cluster/'))).toEqual([]);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('points at icon files that exist', () => {
    expect(existsSync(path.join(repoRoot, config.win.icon))).toBe(true);
    expect(existsSync(path.join(repoRoot, config.mac.icon))).toBe(true);
    expect(existsSync(path.join(repoRoot, config.linux.icon, '512x512.png'))).toBe(true);
    expect(existsSync(path.join(repoRoot, config.linux.icon, '256x256.png'))).toBe(true);
  });

  it("passes electron-builder's own schema validation", async (context) => {
    const requireHere = createRequire(import.meta.url);
    let loader: { getConfig: (dir: string, file: string, extra: null) => Promise<unknown>; validateConfiguration: (c: unknown, log: unknown) => Promise<void> };
    let DebugLogger: new (enabled: boolean) => unknown;
    try {
      loader = requireHere('app-builder-lib/out/util/config/config');
      ({ DebugLogger } = requireHere('builder-util'));
    } catch (error) {
      console.log(`skipped: electron-builder internals not loadable (${String(error)})`);
      context.skip();
      return;
    }
    const loaded = await loader.getConfig(repoRoot, configFile, null);
    await expect(loader.validateConfiguration(loaded, new DebugLogger(false))).resolves.toBeUndefined();
    // and the validator does reject a wrong key (the check can fail)
    await expect(loader.validateConfiguration({ ...(loaded as object), notAnOption: 1 }, new DebugLogger(false))).rejects.toThrow(/notAnOption/);
  });
});
