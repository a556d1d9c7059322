import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Writes probe files inside the tree, runs the layer lint on them, removes them. */
function lintProbes(files: Record<string, string>): { status: number | null; output: string } {
  const written = Object.entries(files).map(([relativeFile, source]) => {
    const file = path.join(root, relativeFile);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, source);
    return file;
  });
  try {
    const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'), ...Object.keys(files), '--config', '.dependency-cruiser.cjs'], { cwd: root, encoding: 'utf8' });
    return { status: result.status, output: result.stdout + result.stderr };
  } finally {
    for (const file of written) rmSync(file, { force: true });
  }
}

function lintProbe(relativeFile: string, source: string): { status: number | null; output: string } {
  return lintProbes({ [relativeFile]: source });
}

const probeName = `lintProbe${process.pid}`;

describe('layer rules (dependency-cruiser)', () => {
  it('fail when shared/ imports a Node built-in', () => {
    const r = lintProbe(`shared/${probeName}.ts`, "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n");
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('shared-no-node-builtins');
  });

  it('fail when the renderer imports from main/', () => {
    const r = lintProbe(`renderer/src/${probeName}.ts`, "import { dispatch } from '../../main/services/dispatch';\nexport const x = dispatch;\n");
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('renderer-only-renderer-and-shared');
  });

  it('fail when main/ outside main/electron imports electron', () => {
    const r = lintProbe(`main/services/${probeName}.ts`, "import { app } from 'electron';\nexport const x = app;\n");
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/electron-(module-)?only-in-main-electron/);
  });

  it('pass on a correct import', () => {
    const r = lintProbe(`shared/${probeName}.ts`, "import { api } from './api';\nexport const x = api;\n");
    expect(r.output).not.toContain('error');
    expect(r.status).toBe(0);
  });

  it('fail on an import cycle in main/', () => {
    const r = lintProbes({
      [`main/catalog/${probeName}A.ts`]: `import { b } from './${probeName}B';\nexport const a = () => b;\n`,
      [`main/catalog/${probeName}B.ts`]: `import { a } from './${probeName}A';\nexport const b = () => a;\n`,
    });
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('no-circular');
  });

  it('fail when main/engine imports main/catalog', () => {
    const r = lintProbe(`main/engine/${probeName}.ts`, "import { openCatalog } from '../catalog/openCatalog';\nexport const x = openCatalog;\n");
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('engine-is-a-leaf');
  });

  it('fail when main/engine imports main/imaging (decoded pixels reach the engine as arrays)', () => {
    const r = lintProbe(`main/engine/${probeName}.ts`, "import { decodeImageFrames } from '../imaging/imageCodec';\nexport const x = decodeImageFrames;\n");
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('engine-is-a-leaf');
  });

  it('fail when main/imaging imports anything of main/ above it', () => {
    const r = lintProbe(`main/imaging/${probeName}.ts`, "import { openCatalog } from '../catalog/openCatalog';\nexport const x = openCatalog;\n");
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('imaging-is-the-ground');
  });

  it('fail when main/catalog imports main/importers', () => {
    const r = lintProbe(`main/catalog/${probeName}.ts`, "import { buildImportPlan } from '../importers/buildImportPlan';\nexport const x = buildImportPlan;\n");
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('catalog-above-imaging');
  });

  it('fail when main/workers imports a floor above it', () => {
    const r = lintProbe(`main/workers/${probeName}.ts`, "import { runFolder } from '../runs/runFolder';\nexport const x = runFolder;\n");
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('workers-is-the-ground');
  });

  it('fail when main/runs imports main/studies or main/services', () => {
    const studies = lintProbe(`main/runs/${probeName}.ts`, "import { runStudy } from '../studies/runStudy';\nexport const x = runStudy;\n");
    expect(studies.status).not.toBe(0);
    expect(studies.output).toContain('runs-above-engine-and-catalog');
    const services = lintProbe(`main/runs/${probeName}.ts`, "import type { ServiceContext } from '../services/context';\nexport type X = ServiceContext;\n");
    expect(services.status).not.toBe(0);
    expect(services.output).toContain('runs-above-engine-and-catalog');
  });

  it('fail when a floor below the transports imports one', () => {
    const r = lintProbe(`main/services/${probeName}.ts`, "import { startServer } from '../server/createServer';\nexport const x = startServer;\n");
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('transports-on-top');
  });

  it('pass on imports down the floors', () => {
    const r = lintProbe(`main/studies/${probeName}.ts`, "import { runFolder } from '../runs/runFolder';\nimport { openCatalog } from '../catalog/openCatalog';\nimport { decodeImageFrames } from '../imaging/imageCodec';\nexport const x = [runFolder, openCatalog, decodeImageFrames];\n");
    expect(r.output).not.toContain('error');
    expect(r.status).toBe(0);
  });
});
