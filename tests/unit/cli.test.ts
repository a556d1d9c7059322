import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../main/cli';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('umedpt CLI', () => {
  it('info prints the selected backend and a reason for every other one', async () => {
    process.env.UMEDPT_HOME = mkdtempSync(path.join(os.tmpdir(), 'umedpt-cli-'));
    const c = capture();
    expect(await runCli(['info', '--json'], c.io)).toBe(0);
    const info = JSON.parse(c.out.join('\n'));
    expect(info.dataDir).toBe(process.env.UMEDPT_HOME);
    expect(info.backends.map((b: { name: string }) => b.name)).toEqual(['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu']);
    for (const b of info.backends) expect(b.reason.length).toBeGreaterThan(5);
    expect(info.backends.find((b: { name: string }) => b.name === info.selectedBackend).available).toBe(true);
  });

  it('UMEDPT_BACKEND forces a backend', async () => {
    process.env.UMEDPT_BACKEND = 'cpu';
    try {
      const c = capture();
      await runCli(['info', '--json'], c.io);
      const info = JSON.parse(c.out.join('\n'));
      expect(info.selectedBackend).toBe('cpu');
      expect(info.forcedBy).toBe('environment');
    } finally {
      delete process.env.UMEDPT_BACKEND;
    }
  });

  it('rejects an unknown command with exit code 2', async () => {
    const c = capture();
    expect(await runCli(['frobnicate'], c.io)).toBe(2);
    expect(c.err.join('\n')).toContain('unknown command');
  });
});
