import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiError } from '../../../shared/api/endpoint';
import { allowedPath, checkRunConfigPaths, confineFileAccess, fileRootsOf } from '../../../main/services/fileAccess';
import type { ServiceContext } from '../../../main/services/context';

const base = mkdtempSync(path.join(os.tmpdir(), 'umedpt-roots-unit-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const root = path.join(base, 'root');
const outside = path.join(base, 'outside');
mkdirSync(path.join(root, 'data'), { recursive: true });
mkdirSync(outside, { recursive: true });
symlinkSync(outside, path.join(root, 'link-out'));
symlinkSync(root, path.join(base, 'root-link'));

/** Only its identity matters to file access: a fresh context per test. */
const context = () => ({}) as ServiceContext;

function refusal(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('file access confined to roots', () => {
  it('is unconfined until confined: any path, relative ones resolved as before', () => {
    const ctx = context();
    expect(fileRootsOf(ctx)).toBeNull();
    expect(allowedPath(ctx, '/etc/passwd', 'import path')).toBe('/etc/passwd');
    expect(allowedPath(ctx, 'x', 'export folder')).toBe(path.resolve('x'));
  });

  it('allows paths under a root, existing or not yet made, and the root itself', () => {
    const ctx = context();
    confineFileAccess(ctx, [root]);
    expect(allowedPath(ctx, root, 'import path')).toBe(root);
    expect(allowedPath(ctx, path.join(root, 'data'), 'import path')).toBe(path.join(root, 'data'));
    expect(allowedPath(ctx, path.join(root, 'new', 'deeper', 'export'), 'export folder')).toBe(path.join(root, 'new', 'deeper', 'export'));
  });

  it('refuses outside, ".." out, a symlink out (also for a target not made yet), a sibling with the root as prefix, and relative paths', () => {
    const ctx = context();
    confineFileAccess(ctx, [root]);
    for (const p of [outside, `${root}/../outside`, path.join(root, 'link-out'), path.join(root, 'link-out', 'not-yet', 'x'), `${root}-sibling`, '/']) {
      const error = refusal(() => allowedPath(ctx, p, 'export folder'));
      expect(error.code, p).toBe('forbidden');
      expect(error.message).toContain(`export folder ${path.resolve(p)}`);
      expect(error.message).toContain(`outside the folders this server may use: ${root} (remote mode; start umedpt serve with --allow-root <folder> to add one)`);
    }
    const relative = refusal(() => allowedPath(ctx, 'data', 'import path'));
    expect(relative.code).toBe('invalid_request');
    expect(relative.message).toMatch(/relative path/);
  });

  it('takes a root given through a symlink by its real path, and refuses a root that does not exist', () => {
    const ctx = context();
    expect(confineFileAccess(ctx, [path.join(base, 'root-link')])).toEqual([root]);
    expect(allowedPath(ctx, path.join(base, 'root-link', 'data'), 'import path')).toBe(path.join(base, 'root-link', 'data'));
    expect(() => confineFileAccess(context(), [path.join(base, 'missing')])).toThrow(/missing: no such folder/);
    expect(() => confineFileAccess(context(), ['relative/root'])).toThrow(/not an absolute path/);
  });

  it('checks the encoder a run config starts from, whatever else the config holds', () => {
    const ctx = context();
    confineFileAccess(ctx, [root]);
    expect(() => checkRunConfigPaths(ctx, { model: { initEncoderFrom: path.join(root, 'enc') } })).not.toThrow();
    expect(() => checkRunConfigPaths(ctx, { model: { initEncoderFrom: null } })).not.toThrow();
    expect(() => checkRunConfigPaths(ctx, 'not a config')).not.toThrow();
    expect(refusal(() => checkRunConfigPaths(ctx, { model: { initEncoderFrom: outside } })).message).toContain('model.initEncoderFrom');
  });
});
