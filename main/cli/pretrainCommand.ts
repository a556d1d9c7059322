import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { RunConfigInput } from '../../shared/runConfig';
import { cliAction, positiveInteger, usageExitCode, type CliEnv } from './commands';
import { followRun } from './followRun';

/** Reads a run config file; every problem is reported with the file's name. */
export function readConfigFile(file: string): unknown {
  if (!existsSync(file)) throw new Error(`${file}: no such file`);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message})`);
  }
}

export function definePretrainCommand(program: Command, env: CliEnv): Command {
  const command = program
    .command('pretrain')
    .summary('multi-task pretraining from a run config; Ctrl-C pauses, umedpt resume continues')
    .description(
      'Checks the run config (schema, then against the catalog), queues the run and follows it: progress per epoch, validation metrics, final metrics.\n' +
        'Ctrl-C pauses after the current step (checkpoint written, exit code 130); umedpt resume <run> continues.',
    )
    .usage('<config.json> [--steps N]')
    .argument('<config.json>', 'the run config (see docs/cli.md and resources/demo/demo-config.json)')
    .option('--steps <N>', "train N steps, overriding the config's epochs / steps", positiveInteger);
  return cliAction(command, env, async (file: string, options: { steps?: number }) => {
    const { io } = env;
    const raw = readConfigFile(path.resolve(file));
    // the schema check below reports a file that holds no object
    if (options.steps !== undefined && raw !== null && typeof raw === 'object') (raw as Record<string, unknown>).steps = options.steps;
    const session = env.open();
    try {
      const { problems } = await session.call('runs/validate', { config: raw });
      if (problems.length) {
        io.err(`${file}: ${problems.length} problem(s):`);
        for (const p of problems) io.err(`  ${p.path ? `${p.path}: ` : ''}${p.message}`);
        return usageExitCode;
      }
      const run = await session.call('runs/launch', { config: raw as unknown as RunConfigInput });
      io.out(`run ${run.id} "${run.name}" ${run.state}`);
      const { code } = await followRun(session, run.id, io);
      return code;
    } finally {
      await session.close();
    }
  });
}
