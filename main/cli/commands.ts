import type { CliSession } from './cliContext';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  /** Commands that serve forever (serve) open their own session. */
  run(args: string[], io: CliIo, open: () => CliSession): Promise<number>;
}

/** Minimal flag parser: --key value, --flag, and positionals. */
export function parseFlags(args: string[]): { positionals: string[]; flags: Map<string, string | true> } {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('--')) {
      const [key, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
      if (inline !== undefined) flags.set(key, inline);
      else if (i + 1 < args.length && !args[i + 1]!.startsWith('--')) flags.set(key, args[++i]!);
      else flags.set(key, true);
    } else positionals.push(arg);
  }
  return { positionals, flags };
}
