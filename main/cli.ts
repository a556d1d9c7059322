/**
 * umedpt: the headless entry over the same services as the app. The command
 * line is parsed by commander; every command calls the API of shared/api.ts
 * through the services, as the app's transports do.
 */
import { Command, CommanderError } from 'commander';
import { readAppVersion } from './services/appVersion';
import { backendChoices } from '../shared/vocabulary';
import { openCliSession } from './cli/cliContext';
import { usageExitCode, type CliEnv, type CliIo } from './cli/commands';
import { defineInfoCommand } from './cli/infoCommand';
import { defineServeCommand } from './cli/serveCommand';
import { defineImportCommand } from './cli/importCommand';
import { defineDatasetCommand, defineDatasetsCommand } from './cli/datasetsCommand';
import { definePretrainCommand } from './cli/pretrainCommand';
import { defineRunsCommand } from './cli/runsCommand';
import { defineResumeCommand } from './cli/resumeCommand';
import { defineExportCommand } from './cli/exportCommand';
import { defineDemoCommand } from './cli/demoCommand';
import { defineEvaluateCommand } from './cli/evaluateCommand';
import { defineBundleCommand } from './cli/bundleCommand';
import { defineLaunchCommand } from './cli/launchCommand';

const consoleIo: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

/** Commander writes whole blocks ending in a newline; CliIo takes lines. */
function asLines(write: (line: string) => void): (text: string) => void {
  return (text) => write(text.replace(/\n$/, ''));
}

/** The program with every command, writing to `env.io`; a fresh one per run (commander keeps parsed values). */
export function buildProgram(env: CliEnv): Command {
  const program = new Command('umedpt')
    .description('UMedPT Studio on the command line: the catalog, imports, pretraining runs, exports and studies of the desktop app, without a window.')
    .version(readAppVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'print this help')
    .exitOverride()
    .configureOutput({ writeOut: asLines(env.io.out), writeErr: asLines(env.io.err), outputError: (text, write) => write(text.replace(/^error: /, 'umedpt: ')) })
    .showHelpAfterError()
    .showSuggestionAfterError()
    .addHelpText('after', `\nEnvironment: UMEDPT_HOME (the data folder), UMEDPT_BACKEND (${backendChoices.join('|')}), UMEDPT_PORT (serve).\nDetails: docs/cli.md`);
  for (const define of [
    defineInfoCommand,
    defineServeCommand,
    defineImportCommand,
    defineDatasetsCommand,
    defineDatasetCommand,
    definePretrainCommand,
    defineRunsCommand,
    defineResumeCommand,
    defineExportCommand,
    defineDemoCommand,
    defineEvaluateCommand,
    defineBundleCommand,
    defineLaunchCommand,
  ]) {
    define(program, env);
  }
  return program;
}

/** Exit code of a commander stop: 0 after help or the version, 1 for bare `umedpt`, 2 for bad arguments. */
function exitCodeOf(error: CommanderError): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
  if (error.code === 'commander.help') return error.exitCode;
  return usageExitCode;
}

export async function runCli(argv: string[], io: CliIo = consoleIo): Promise<number> {
  const env: CliEnv = { io, open: () => openCliSession(), exitCode: 0 };
  try {
    const program = buildProgram(env);
    // commander answers `help <unknown>` with the general help and exit code 1
    const [first, second] = argv;
    if (first === 'help' && second !== undefined && !program.commands.some((c) => c.name() === second)) program.error(`error: unknown command '${second}'`, { exitCode: usageExitCode, code: 'commander.unknownCommand' });
    await program.parseAsync(argv, { from: 'user' });
    return env.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return exitCodeOf(error);
    throw error;
  }
}
