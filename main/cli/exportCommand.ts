import path from 'node:path';
import { Option, type Command } from 'commander';
import { cliAction, type CliEnv } from './commands';
import { resolveRun } from './resolveRun';
import { metricLine } from './runProgress';

export function defineExportCommand(program: Command, env: CliEnv): Command {
  const command = program
    .command('export')
    .summary('the pretrained encoder (or with --model the whole multi-task model) in tfjs layers format, with a model card')
    .usage('<run> <dir> [--model] [--checkpoint best|latest]')
    .argument('<run>', 'run id, a unique prefix of it, or a unique run name')
    .argument('<dir>', 'folder to write (created if missing)')
    .option('--model', 'export the whole multi-task model (decoders and task heads too), not only the encoder')
    .addOption(new Option('--checkpoint <which>', 'the checkpoint to export').choices(['best', 'latest']).default('best'));
  return cliAction(command, env, async (ref: string, dir: string, options: { model?: boolean; checkpoint: 'best' | 'latest' }) => {
    const { io } = env;
    const session = env.open();
    try {
      const run = resolveRun(await session.call('runs/list', {}), ref);
      const request = { runId: run.id, dir: path.resolve(dir), checkpoint: options.checkpoint };
      const result = options.model ? await session.call('runs/exportModel', request) : await session.call('runs/exportEncoder', request);
      const card = result.modelCard;
      io.out(`exported ${card.format === 'umedpt-model' ? 'the multi-task model' : 'the encoder'} of run ${run.id} (${card.checkpoint} checkpoint, step ${card.step}) to ${result.dir}`);
      io.out(`  ${card.encoder}, input ${card.inputSize}x${card.inputSize}, squeezer ${card.squeezerWidth}, trained on ${card.backend}`);
      for (const t of card.tasks) io.out(`  ${t.name}: ${t.kind}, ${t.trainImages} train images${t.validationMetrics ? `; ${metricLine(t.validationMetrics)}` : ''}`);
      io.out(`  files: ${result.files.join(', ')}`);
      return 0;
    } finally {
      await session.close();
    }
  });
}
