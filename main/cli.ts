/**
 * umedpt: the headless entry over the same services as the app.
 */
import { openCliSession } from './cli/cliContext';
import type { CliCommand, CliIo } from './cli/commands';
import { infoCommand } from './cli/infoCommand';
import { serveCommand } from './cli/serveCommand';
import { importCommand } from './cli/importCommand';
import { datasetsCommand, datasetCommand } from './cli/datasetsCommand';
import { evaluateCommand } from './cli/evaluateCommand';
import { pretrainCommand } from './cli/pretrainCommand';
import { runsCommand } from './cli/runsCommand';
import { resumeCommand } from './cli/resumeCommand';
import { exportCommand } from './cli/exportCommand';
import { demoCommand } from './cli/demoCommand';

export const cliCommands: CliCommand[] = [infoCommand, serveCommand, importCommand, datasetsCommand, datasetCommand, pretrainCommand, runsCommand, resumeCommand, exportCommand, demoCommand, evaluateCommand];

const consoleIo: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

export function usage(): string {
  const width = Math.max(...cliCommands.map((c) => c.usage.length));
  return ['usage: umedpt <command> [options]', '', ...cliCommands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`)].join('\n');
}

export async function runCli(argv: string[], io: CliIo = consoleIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.out(usage());
    return name ? 0 : 1;
  }
  const command = cliCommands.find((c) => c.name === name);
  if (!command) {
    io.err(`umedpt: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest, io, () => openCliSession());
  } catch (error) {
    io.err(`umedpt ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
