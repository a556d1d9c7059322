import type { Command } from 'commander';
import { cliAction, type CliEnv } from './commands';
import { followRun } from './followRun';
import { resolveRun } from './resolveRun';

export function defineResumeCommand(program: Command, env: CliEnv): Command {
  const command = program
    .command('resume')
    .summary('continue a paused or interrupted run from its latest checkpoint')
    .description('Continues a paused, interrupted, cancelled or failed run from its latest checkpoint and follows it like pretrain (Ctrl-C pauses again).')
    .usage('<run>')
    .argument('<run>', 'run id, a unique prefix of it, or a unique run name');
  return cliAction(command, env, async (ref: string) => {
    const session = env.open();
    try {
      const run = resolveRun(await session.call('runs/list', {}), ref);
      const resumed = await session.call('runs/resume', { runId: run.id });
      const detail = await session.call('runs/get', { runId: run.id });
      env.io.out(`run ${resumed.id} "${resumed.name}" ${resumed.state} (continues from step ${detail.checkpoints.latest?.step ?? 0})`);
      const { code } = await followRun(session, run.id, env.io);
      return code;
    } finally {
      await session.close();
    }
  });
}
