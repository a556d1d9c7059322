/**
 * The `umedpt` executable as a shell runs it: `serve --help` prints help and
 * exits instead of serving, and a reader that goes away (`umedpt runs | head`)
 * ends the command quietly, with no EPIPE stack trace.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = path.join(root, 'bin', 'umedpt.js');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'umedpt-cli-process-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Waits for the child to end; kills it (and fails) if it is still running after `ms`. */
function ended(child: ChildProcess, ms: number): Promise<Ended> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running after ${ms} ms; stdout: ${stdout}; stderr: ${stderr}`));
    }, ms);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const stackTrace = /EPIPE|Error:|\n\s+at /;

describe('the umedpt executable', () => {
  it('serve --help prints the usage and exits 0 without serving', async () => {
    const home = path.join(scratch, 'serve-home');
    const port = await freePort();
    for (const args of [['serve', '--help'], ['serve', '--port', String(port), '-h']]) {
      const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, UMEDPT_HOME: home, UMEDPT_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
      // a server would never exit on its own
      const result = await ended(child, 60_000);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/^Usage: umedpt serve \[--host H\] \[--port P\]/);
      expect(result.stdout).not.toMatch(/running at/);
      expect(result.stderr).toBe('');
    }
    expect(existsSync(home)).toBe(false);
  }, 150_000);

  it('umedpt runs with its output closed before it writes ends quietly', async () => {
    const child = spawn(process.execPath, [bin, 'runs'], { cwd: root, env: { ...process.env, UMEDPT_HOME: path.join(scratch, 'closed-home') }, stdio: ['ignore', 'pipe', 'pipe'] });
    // the reading end goes away before tsx has even loaded the CLI
    child.stdout!.destroy();
    const result = await ended(child, 60_000);
    expect(result.stderr).not.toMatch(stackTrace);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(141);
  }, 90_000);

  it('umedpt runs | a reader that has exited ends quietly; umedpt runs | head -1 prints the line', async () => {
    const env = { ...process.env, UMEDPT_HOME: path.join(scratch, 'pipe-home') };
    // `true` exits at once, long before the CLI writes its first line
    const gone = spawn('bash', ['-c', `"${process.execPath}" "${bin}" runs | true; echo "umedpt exit \${PIPESTATUS[0]}" >&2`], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const first = await ended(gone, 60_000);
    expect(first.stderr).not.toMatch(stackTrace);
    expect(first.stderr.trim()).toBe('umedpt exit 141');

    const head = spawn('bash', ['-c', `"${process.execPath}" "${bin}" runs --help | head -1; echo "umedpt exit \${PIPESTATUS[0]}" >&2`], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const second = await ended(head, 60_000);
    expect(second.stdout).toBe('Usage: umedpt runs [--json]\n');
    expect(second.stderr).not.toMatch(stackTrace);
    // all of the help fits in the pipe before head closes it, or not: both end quietly
    expect(second.stderr.trim()).toMatch(/^umedpt exit (0|141)$/);
  }, 150_000);
});
