import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cliEntry, repoRoot } from './serveProcess';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  ms: number;
  /** peak resident memory of the CLI and its workers (GNU time's maxrss covers waited-for children), MB; null without /usr/bin/time */
  peakMb: number | null;
  timedOut: boolean;
}

const gnuTime = '/usr/bin/time';

/** `umedpt <args>` as its own process tree, with its peak memory where GNU time is installed. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<CliResult> {
  const started = Date.now();
  const measured = existsSync(gnuTime);
  const command = measured ? gnuTime : process.execPath;
  const argv = measured ? ['-f', 'umedpt-peak-kb=%M', process.execPath, cliEntry, ...args] : [cliEntry, ...args];
  return new Promise((resolve) => {
    const child = spawn(command, argv, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let timedOut = false;
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const peak = /umedpt-peak-kb=(\d+)/.exec(output);
      resolve({ code, signal, output: output.replace(/.*umedpt-peak-kb=\d+\n?/, ''), ms: Date.now() - started, peakMb: peak ? Math.round(Number(peak[1]) / 1024) : null, timedOut });
    });
  });
}
