import type { Command } from 'commander';
import { cliAction, type CliEnv } from './commands';
import type { RunSummary } from '../../shared/api';
import { metricLine } from './runProgress';
import { backendSourceLabels } from '../../shared/backendChoice';

export function formatRunsTable(runs: RunSummary[]): string[] {
  if (!runs.length) return ['no runs yet (umedpt pretrain <config.json> or umedpt demo)'];
  const rows = runs.map((r) => [r.id, r.name, r.state, `${r.progress.step}/${r.progress.totalSteps}`, r.backend ? `${r.backend}${r.backendChoice ? ` (${backendSourceLabels[r.backendChoice.source]})` : ''}` : '-', r.createdAt.slice(0, 19).replace('T', ' ')]);
  const header = ['id', 'name', 'state', 'step', 'backend', 'created'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const lines = [fmt(header)];
  runs.forEach((r, i) => {
    lines.push(fmt(rows[i]!));
    for (const [task, values] of Object.entries(r.finalMetrics ?? {})) lines.push(`    ${task}: ${metricLine(values)}`);
    if (r.error) lines.push(`    ${r.error}`);
  });
  return lines;
}

export function defineRunsCommand(program: Command, env: CliEnv): Command {
  const command = program
    .command('runs')
    .summary('pretraining runs with their state, progress and last validation metrics')
    .usage('[--json]')
    .option('--json', 'print the runs as JSON');
  return cliAction(command, env, async (options: { json?: boolean }) => {
    const session = env.open();
    try {
      const runs = await session.call('runs/list', {});
      if (options.json) env.io.out(JSON.stringify(runs, null, 2));
      else formatRunsTable(runs).forEach((l) => env.io.out(l));
      return 0;
    } finally {
      await session.close();
    }
  });
}
