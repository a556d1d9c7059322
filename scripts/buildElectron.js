#!/usr/bin/env node
// Bundles the Electron side with esbuild:
//   main/electron/main.ts    -> dist/electron/main.cjs     (Node, CommonJS: package.json "main")
//   main/electron/preload.ts -> dist/electron/preload.cjs  (sandboxed preload: electron is its only require)
//   worker entries           -> dist/electron/<name>.js    (ESM; started as utility processes by the
//                               process launcher, which looks for <name>.js next to the bundle)
//   main/electron/enginePreload.ts -> dist/electron/enginePreload.cjs (the engine window's preload)
//   main/engine/browser/engineWindow.ts -> dist/renderer/engine/engine.js + engine.html (the engine
//                               page, served as umedpt://app/engine/engine.html; see docs/engine.md)
// Native and wasm packages stay outside the bundle: they load files next to
// themselves (.node binaries, .wasm) and are unpacked from the asar by
// electron-builder (see electron-builder.yml, asarUnpack).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Left as require() calls in main.cjs; the packaged node_modules provides them. */
export const mainExternals = [
  'electron',
  'better-sqlite3',
  '@tensorflow/*',
  '@resvg/*',
  '@cornerstonejs/*',
];

/**
 * Optional packages the Kubernetes client's dependencies require inside try/catch (ws's native
 * speed-ups, node-fetch's charset converter): left as require() calls, absent at run time, and fine so.
 */
export const absentOptionalRequires = ['bufferutil', 'utf-8-validate', 'encoding'];

/**
 * vega-canvas's Node build awaits an optional native 'canvas' at top level, which
 * a CommonJS bundle cannot hold; the plots render SVG without a canvas, so the
 * browser build (canvas created only on demand, never here) serves.
 */
const bundleAliases = (root) => ({
  'vega-canvas': path.join(root, 'node_modules', 'vega-canvas', 'build', 'vega-canvas.browser.js'),
});

/**
 * Electron 38 bundles Node 22 and Chromium 140. Kept a step lower so the
 * bundle does not depend on the very latest syntax support.
 */
const nodeTarget = 'node20';
const chromeTarget = 'chrome120';

// ESM sources read import.meta.url (package.json lookup, createRequire); in a
// CJS bundle it must be the bundle's own file URL.
const importMetaUrlBanner = "const __umedptImportMetaUrl = require('node:url').pathToFileURL(__filename).href;";

/** Entries of the processes main starts (training, tools, imports, studies), by output name, from the launcher's table. */
export const workerEntries = Object.fromEntries(
  Object.values(JSON.parse(readFileSync(path.join(repoRoot, 'main', 'workers', 'workerEntries.json'), 'utf8'))).map((source) => [path.basename(source), `main/${source}.ts`]),
);

// CommonJS packages bundled into an ESM worker still call require / use __dirname.
const esmCommonJsBanner = [
  "import { createRequire as __umedptCreateRequire } from 'node:module';",
  "import { fileURLToPath as __umedptFileURLToPath } from 'node:url';",
  'const require = __umedptCreateRequire(import.meta.url);',
  'const __filename = __umedptFileURLToPath(import.meta.url);',
  "const __dirname = __umedptFileURLToPath(new URL('.', import.meta.url));",
].join('\n');

/** The engine page's HTML: our one script, nothing inline (the protocol adds the app's CSP as a header too). */
export const enginePageHtml = [
  '<!doctype html>',
  '<meta charset="utf-8">',
  `<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'">`,
  '<title>UMedPT Studio engine</title>',
  '<script src="engine.js"></script>',
].join('\n');

/**
 * The engine page's script: the engine (model, losses, AdamW, the decoupled
 * step) for Chromium's WebGPU, one IIFE with no Node module. The desktop app's
 * engine window and the Chromium-page e2e test load this same bundle.
 * Returns the script; writes engine.js and engine.html into outDir when given.
 */
export async function buildEnginePage({ root = repoRoot, outDir = null, minify = false, logLevel = 'warning' } = {}) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [path.join(root, 'main/engine/browser/engineWindow.ts')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: chromeTarget,
    minify,
    write: false,
    logLevel,
  });
  const script = result.outputFiles[0].contents;
  if (outDir) {
    await mkdir(outDir, { recursive: true });
    await writeFile(path.join(outDir, 'engine.js'), script);
    await writeFile(path.join(outDir, 'engine.html'), enginePageHtml);
  }
  return { script, html: enginePageHtml };
}

/** Bare module names the output still requires at run time, from esbuild's metafile. */
export function runtimeImports(metafile, outputFile) {
  const output = Object.entries(metafile.outputs).find(([file]) => path.resolve(file) === path.resolve(outputFile));
  if (!output) throw new Error(`buildElectron: ${outputFile} missing from the esbuild metafile`);
  return [...new Set(output[1].imports.filter((i) => i.external).map((i) => i.path))].sort();
}

/**
 * Builds the bundles into outDir (default dist/electron) and checks the
 * preload requires nothing but electron (a sandboxed preload cannot load Node
 * modules). Returns the output paths and what each still requires.
 */
export async function buildElectron({ root = repoRoot, outDir = path.join(root, 'dist', 'electron'), engineDir = path.join(outDir, '..', 'renderer', 'engine'), minify = false, logLevel = 'warning' } = {}) {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const mainFile = path.join(outDir, 'main.cjs');
  const preloadFile = path.join(outDir, 'preload.cjs');

  const mainResult = await build({
    absWorkingDir: root,
    entryPoints: [path.join(root, 'main/electron/main.ts')],
    outfile: mainFile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: nodeTarget,
    external: [...mainExternals, ...absentOptionalRequires],
    alias: bundleAliases(root),
    // conf/electron-store publish ESM only: prefer the ESM entry points and bundle them.
    mainFields: ['module', 'main'],
    define: { 'import.meta.url': '__umedptImportMetaUrl' },
    banner: { js: importMetaUrlBanner },
    sourcemap: 'linked',
    minify,
    metafile: true,
    logLevel,
  });

  const preloadBuild = (entry, outfile) => build({
    absWorkingDir: root,
    entryPoints: [path.join(root, entry)],
    outfile,
    bundle: true,
    // platform browser: any Node built-in reaching the preload fails the build.
    platform: 'browser',
    format: 'cjs',
    target: chromeTarget,
    external: ['electron'],
    sourcemap: 'inline',
    minify,
    metafile: true,
    logLevel,
  });
  const preloadResult = await preloadBuild('main/electron/preload.ts', preloadFile);
  const enginePreloadFile = path.join(outDir, 'enginePreload.cjs');
  const enginePreloadResult = await preloadBuild('main/electron/enginePreload.ts', enginePreloadFile);
  await buildEnginePage({ root, outDir: engineDir, minify, logLevel });

  const workers = {};
  for (const [name, entry] of Object.entries(workerEntries)) {
    const file = path.join(outDir, `${name}.js`);
    const result = await build({
      absWorkingDir: root,
      entryPoints: [path.join(root, entry)],
      outfile: file,
      bundle: true,
      platform: 'node',
      // package.json has "type": "module": a .js output is loaded as ESM
      format: 'esm',
      target: nodeTarget,
      external: [...mainExternals, ...absentOptionalRequires],
      alias: bundleAliases(root),
      mainFields: ['module', 'main'],
      banner: { js: esmCommonJsBanner },
      sourcemap: 'linked',
      minify,
      metafile: true,
      logLevel,
    });
    workers[name] = { file, requires: runtimeImports(result.metafile, file), warnings: result.warnings.length };
  }

  const preloadRequires = runtimeImports(preloadResult.metafile, preloadFile);
  const enginePreloadRequires = runtimeImports(enginePreloadResult.metafile, enginePreloadFile);
  for (const [name, requires] of [['preload', preloadRequires], ['engine preload', enginePreloadRequires]]) {
    const foreign = requires.filter((r) => r !== 'electron');
    if (foreign.length) throw new Error(`buildElectron: the sandboxed ${name} may require only electron, but requires ${foreign.join(', ')}`);
  }

  return {
    main: { file: mainFile, requires: runtimeImports(mainResult.metafile, mainFile), warnings: mainResult.warnings.length },
    preload: { file: preloadFile, requires: preloadRequires, warnings: preloadResult.warnings.length },
    enginePreload: { file: enginePreloadFile, requires: enginePreloadRequires, warnings: enginePreloadResult.warnings.length },
    ...workers,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const started = Date.now();
  const result = await buildElectron({ minify: process.argv.includes('--minify'), logLevel: 'info' });
  for (const [name, out] of Object.entries(result)) {
    console.log(`${name}: ${path.relative(repoRoot, out.file)} requires [${out.requires.join(', ')}]`);
  }
  console.log(`built in ${Date.now() - started} ms`);
}
