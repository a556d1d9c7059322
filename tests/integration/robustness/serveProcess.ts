import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
export const cliEntry = path.join(repoRoot, 'bin', 'umedpt.js');

/** `umedpt serve` as its own process: a crash is an exit, not a test failure hidden in the test's process. */
export interface ServeProcess {
  child: ChildProcess;
  port: number;
  token: string;
  exited: () => { code: number | null; signal: NodeJS.Signals | null } | null;
  output: () => string;
  /** peak resident memory (VmHWM) so far, MB */
  peakRssMb: () => number;
  stop(): Promise<void>;
}

export function peakRssMbOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

export function startServe(home: string, extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliEntry, 'serve', '--port', '0', ...extraArgs], {
      cwd: repoRoot,
      env: { ...process.env, ...env, UMEDPT_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    const exitPromise = new Promise<void>((done) =>
      child.once('exit', (code, signal) => {
        exit = { code, signal };
        done();
      }),
    );
    const timer = setTimeout(() => reject(new Error(`umedpt serve did not start in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at http:\/\/[^:]+:(\d+)\/\?token=([\w-]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
        resolve({
          child,
          port: Number(match[1]),
          token: match[2]!,
          exited: () => exit,
          output: () => output,
          peakRssMb: () => peakRssMbOf(child.pid),
          stop: async () => {
            if (!exit) child.kill('SIGTERM');
            await Promise.race([exitPromise, new Promise((r) => setTimeout(r, 10_000))]);
            if (!exit) child.kill('SIGKILL');
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`umedpt serve exited (${code}) before listening:\n${output}`));
    });
  });
}

/** One ordinary call over an ordinary WebSocket client; rejects if no answer in timeoutMs. */
export function normalCall(port: number, token: string, action = 'system/info', payload: unknown = {}, timeoutMs = 10_000): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${encodeURIComponent(token)}`);
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no answer to ${action} in ${timeoutMs} ms`));
    }, timeoutMs);
    ws.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    ws.on('open', () => ws.send(JSON.stringify({ id: 1, action, payload })));
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; id: unknown; ok: boolean };
      if (message.type !== 'result' || message.id !== 1) return;
      clearTimeout(timer);
      ws.close();
      resolve(message);
    });
  });
}
