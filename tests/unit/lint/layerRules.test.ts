import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Writes a probe file inside the tree, runs the layer lint on it, removes it. */
function lintProbe(relativeFile: string, source: string): { status: number | null; output: string } {
  const file = path.join(root, relativeFile);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, source);
  try {
    const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'), relativeFile, '--config', '.dependency-cruiser.cjs'], { cwd: root, encoding: 'utf8' });
    return { status: result.status, output: result.stdout + result.stderr };
  } finally {
    rmSync(file, { force: true });
  }
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
});
