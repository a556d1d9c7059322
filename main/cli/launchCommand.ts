import type { CliCommand } from './commands';
import { parseFlags } from './commands';
import { runsRuntime } from '../services/runsRuntime';
import { RunProgressPrinter } from './runProgress';
import { launchBundle } from '../cluster/launchBundle';
import { clusterLauncherFor, launchTargets } from '../cluster/launchTargets';
import { findProfile, launcherForProfile } from '../cluster/clusterProfiles';

const usage = 'umedpt launch <bundle> [--profile NAME | --on local|slurm|kubernetes] [--nproc N] [--threads T] [--steps S] [--skip-verify] [slurm: --partition P --nodes N --gpus-per-node G --ssh HOST --modules M,M --container IMG --time HH:MM:SS] [kubernetes: --image I --claim PVC --mount /workspace --namespace NS --nodes N --gpus-per-node G]';

export const launchCommand: CliCommand = {
  name: 'launch',
  usage: 'umedpt launch <bundle> [--on local|slurm|kubernetes | --profile NAME] [--nproc N]',
  summary: 'train a run bundle with the PyTorch trainer (here, Slurm or Kubernetes) as a run of this app',
  async run(args, io, open) {
    const { positionals, flags } = parseFlags(args);
    const [bundleDir] = positionals;
    const on = String(flags.get('on') ?? 'local');
    const nproc = Number(flags.get('nproc') ?? 1);
    if (!bundleDir || !launchTargets.includes(on as never) || !Number.isInteger(nproc) || nproc < 1) {
      io.err(`usage: ${usage}`);
      return 2;
    }
    const session = open();
    const abort = new AbortController();
    const onSigint = (): void => {
      io.err('cancelling: the trainer checkpoints and stops after its current step');
      abort.abort();
    };
    process.on('SIGINT', onSigint);
    try {
      const profileName = flags.get('profile');
      const target = typeof profileName === 'string' ? { launcher: launcherForProfile(findProfile(session.ctx.dataDir, profileName)), exited: undefined } : clusterLauncherFor(on as (typeof launchTargets)[number], flags, (l) => io.out(l));
      const printer = new RunProgressPrinter(io, { live: false });
      const result = await launchBundle({
        db: runsRuntime(session.ctx).catalog.db,
        dataDir: session.ctx.dataDir,
        bundleDir,
        launcher: target.launcher,
        exited: target.exited,
        request: { nproc, threads: Number(flags.get('threads') ?? 0), steps: Number(flags.get('steps') ?? 0) },
        skipVerify: flags.has('skip-verify'),
        onEvent: (e) => printer.handle(e),
        signal: abort.signal,
      });
      const summary = await session.services['runs/get']({ runId: result.runId });
      printer.finish(summary);
      io.out(`run ${result.runId} ${result.state}; export it with umedpt export ${result.runId} <dir>`);
      return result.state === 'completed' ? 0 : 1;
    } finally {
      process.off('SIGINT', onSigint);
      await session.close();
    }
  },
};
