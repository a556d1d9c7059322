import type { CliCommand } from './commands';
import { runsRuntime } from '../services/runsRuntime';
import { followRun } from './followRun';
import { resolveRun } from './resolveRun';

export const resumeCommand: CliCommand = {
  name: 'resume',
  usage: 'umedpt resume <run>',
  summary: 'continue a paused or interrupted run from its latest checkpoint',
  async run(args, io, open) {
    const ref = args.find((a) => !a.startsWith('--'));
    if (!ref) {
      io.err('usage: umedpt resume <run>');
      return 2;
    }
    const session = open();
    try {
      const { manager } = runsRuntime(session.ctx);
      const run = resolveRun(manager.list(), ref);
      const resumed = manager.resume(run.id);
      io.out(`run ${resumed.id} "${resumed.name}" ${resumed.state} (continues from step ${manager.get(run.id).checkpoints.latest?.step ?? 0})`);
      const { code } = await followRun(session, run.id, io);
      return code;
    } finally {
      await session.close();
    }
  },
};
