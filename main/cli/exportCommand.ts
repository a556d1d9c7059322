import path from 'node:path';
import type { CliCommand } from './commands';
import { parseFlags } from './commands';
import { resolveRun } from './resolveRun';
import { metricLine } from './runProgress';

export const exportCommand: CliCommand = {
  name: 'export',
  usage: 'umedpt export <run> <dir> [--model] [--checkpoint best|latest]',
  summary: 'the pretrained encoder (or with --model the whole multi-task model) in tfjs layers format, with a model card',
  async run(args, io, open) {
    const { positionals, flags } = parseFlags(args);
    const [ref, dir] = positionals;
    const checkpoint = flags.get('checkpoint') ?? 'best';
    if (!ref || !dir || (checkpoint !== 'best' && checkpoint !== 'latest')) {
      io.err('usage: umedpt export <run> <dir> [--model] [--checkpoint best|latest]');
      return 2;
    }
    const session = open();
    try {
      const run = resolveRun(await session.services['runs/list']({}), ref);
      const request = { runId: run.id, dir: path.resolve(dir), checkpoint: checkpoint as 'best' | 'latest' };
      const result = flags.has('model') ? await session.services['runs/exportModel'](request) : await session.services['runs/exportEncoder'](request);
      const card = result.modelCard;
      io.out(`exported ${card.format === 'umedpt-model' ? 'the multi-task model' : 'the encoder'} of run ${run.id} (${card.checkpoint} checkpoint, step ${card.step}) to ${result.dir}`);
      io.out(`  ${card.encoder}, input ${card.inputSize}x${card.inputSize}, squeezer ${card.squeezerWidth}, trained on ${card.backend}`);
      for (const t of card.tasks) io.out(`  ${t.name}: ${t.kind}, ${t.trainImages} train images${t.validationMetrics ? `; ${metricLine(t.validationMetrics)}` : ''}`);
      io.out(`  files: ${result.files.join(', ')}`);
      return 0;
    } finally {
      await session.close();
    }
  },
};
