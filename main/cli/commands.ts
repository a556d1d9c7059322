/**
 * What every command module shares: where output goes, how a session opens,
 * and the commander glue (value parsers, usage after an error, exit codes).
 */
import { CommanderError, InvalidArgumentError, type Command } from 'commander';
import type { CliSession } from './cliContext';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export interface CliEnv {
  io: CliIo;
  /** Opens the services; commands that serve forever (serve) keep theirs open. */
  open(): CliSession;
  /** exit code of the command that ran */
  exitCode: number;
}

/** Exit code for bad arguments (unknown flag or command, missing or invalid value). */
export const usageExitCode = 2;

/** Exit code after a Ctrl-C that paused or cancelled the work cleanly. */
export const interruptedExitCode = 130;

export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('Expected a positive integer.');
  return n;
}

export function integer(value: string): number {
  const n = Number(value);
  if (!/^\s*-?\d+\s*$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('Expected an integer.');
  return n;
}

export function portNumber(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || n > 65535) throw new InvalidArgumentError('Expected an integer 0-65535.');
  return n;
}

/**
 * Finishes a command's declaration: errors in its arguments print as
 * "umedpt <name>: <problem>" followed by its usage line, and its action's
 * result becomes the exit code (an error thrown by the work itself is
 * printed with the command's name and gives 1).
 */
export function cliAction<A extends unknown[]>(command: Command, env: CliEnv, run: (...args: A) => Promise<number>): Command {
  const name = `umedpt ${command.name()}`;
  command
    .configureOutput({ outputError: (text, write) => write(`${name}: ${text.replace(/^error: /, '')}`) })
    .showHelpAfterError(`usage: ${name} ${command.usage()}\n(${name} --help describes every option)`);
  return command.action(async (...args: unknown[]) => {
    try {
      env.exitCode = await run(...(args as A));
    } catch (error) {
      if (error instanceof CommanderError) throw error;
      env.io.err(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      env.exitCode = 1;
    }
  });
}

/** A problem with the arguments found after parsing: reported like commander's own, exit code 2. */
export function usageError(command: Command, message: string): never {
  command.error(message, { exitCode: usageExitCode, code: 'umedpt.usage' });
}

/** Repeats of Ctrl-C closer than this are one press (see onCtrlC). */
const ctrlCEchoMs = 1000;

/**
 * Calls `handler` on Ctrl-C (SIGINT) until the returned function is called.
 * The first Ctrl-C reaches the process twice: when-exit (under conf, the
 * settings store) re-sends SIGINT to its own process. A repeat within a
 * second is taken for that echo, so one press is handled once.
 */
export function onCtrlC(handler: () => void): () => void {
  let last = Number.NEGATIVE_INFINITY;
  const listener = (): void => {
    const now = performance.now();
    if (now - last < ctrlCEchoMs) return;
    last = now;
    handler();
  };
  process.on('SIGINT', listener);
  return () => process.off('SIGINT', listener);
}
