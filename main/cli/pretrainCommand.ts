import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CliCommand } from './commands';
import { parseFlags } from './commands';
import { validateRunConfig } from '../runs/validateRunConfig';
import { runsRuntime } from '../services/runsRuntime';
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

export const pretrainCommand: CliCommand = {
  name: 'pretrain',
  usage: 'umedpt pretrain <config.json> [--steps N]',
  summary: 'multi-task pretraining from a run config; Ctrl-C pauses, umedpt resume continues',
  async run(args, io, open) {
    const { positionals, flags } = parseFlags(args);
    const file = positionals[0];
    if (!file) {
      io.err('usage: umedpt pretrain <config.json> [--steps N]');
      return 2;
    }
    const raw = readConfigFile(path.resolve(file)) as Record<string, unknown>;
    const stepsFlag = flags.get('steps');
    if (typeof stepsFlag === 'string') {
      const steps = Number(stepsFlag);
      if (!Number.isInteger(steps) || steps < 1) {
        io.err(`umedpt pretrain: --steps must be a positive integer, got "${stepsFlag}"`);
        return 2;
      }
      raw.steps = steps;
    }
    const session = open();
    try {
      const { catalog, manager } = runsRuntime(session.ctx);
      const { config, problems } = validateRunConfig(catalog, raw);
      if (!config || problems.length) {
        io.err(`${file}: ${problems.length} problem(s):`);
        for (const p of problems) io.err(`  ${p.path ? `${p.path}: ` : ''}${p.message}`);
        return 2;
      }
      const run = manager.launch(config);
      io.out(`run ${run.id} "${run.name}" ${run.state}`);
      const { code } = await followRun(session, run.id, io);
      return code;
    } finally {
      await session.close();
    }
  },
};
