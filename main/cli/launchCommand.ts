import { Option, type Command } from 'commander';
import { cliAction, onCtrlC, positiveInteger, type CliEnv } from './commands';
import { runsRuntime } from '../services/runsRuntime';
import { RunProgressPrinter } from './runProgress';
import { launchBundle } from '../cluster/launchBundle';
import { clusterLauncherFor, launchTargets } from '../cluster/launchTargets';
import { findProfile, launcherForProfile } from '../cluster/clusterProfiles';

interface LaunchOptions {
  on: (typeof launchTargets)[number];
  profile?: string;
  nproc: number;
  threads?: number;
  steps?: number;
  skipVerify?: boolean;
  [flag: string]: unknown;
}

export function defineLaunchCommand(program: Command, env: CliEnv): Command {
  const command = program
    .command('launch')
    .summary('train a run bundle with the PyTorch trainer (here, Slurm or Kubernetes) as a run of this app')
    .usage('<bundle> [--on local|slurm|kubernetes | --profile NAME] [--nproc N] [options]')
    .argument('<bundle>', 'a folder written by umedpt bundle')
    .addOption(new Option('--on <where>', 'where to train').choices([...launchTargets]).default('local'))
    .option('--profile <name>', 'a cluster profile (Settings > Cluster profiles) instead of --on')
    .option('--nproc <n>', 'processes (ranks) in all', positiveInteger, 1)
    .option('--threads <n>', 'torch threads per rank (default: PyTorch decides)', positiveInteger)
    .option('--steps <n>', "override the config's length", positiveInteger)
    .option('--skip-verify', 'skip the checksum pass over the bundle')
    .option('--python <path>', 'slurm: the interpreter on the compute nodes')
    .option('--ssh <host>', 'slurm: submit over SSH (user@host)')
    .option('--partition <name>', 'slurm: partition')
    .option('--nodes <n>', 'slurm/kubernetes: nodes')
    .option('--gpus-per-node <n>', 'slurm/kubernetes: GPUs per node (0: CPU)')
    .option('--cpus-per-task <n>', 'slurm: CPUs per rank')
    .option('--modules <list>', 'slurm: module load list, comma-separated')
    .option('--container <image>', 'slurm: Apptainer image with PyTorch')
    .option('--time <limit>', 'slurm: time limit, e.g. 24:00:00')
    .option('--image <image>', 'kubernetes: container image with PyTorch')
    .option('--claim <pvc>', 'kubernetes: volume claim holding the bundle and the data folder')
    .option('--mount <path>', 'kubernetes: where the claim is mounted')
    .option('--namespace <ns>', 'kubernetes: namespace')
    .option('--memory <size>', 'kubernetes: memory limit per pod');
  return cliAction(command, env, async (bundleDir: string, options: LaunchOptions) => {
    const { io } = env;
    const session = env.open();
    const abort = new AbortController();
    const stopListening = onCtrlC(() => {
      io.err('cancelling: the trainer checkpoints and stops after its current step');
      abort.abort();
    });
    try {
      // the launchers read their flags by name, as given on the command line
      const flags = new Map<string, string | true>();
      for (const [key, value] of Object.entries(options)) {
        if (value === undefined || value === false) continue;
        flags.set(key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), value === true ? true : String(value));
      }
      const target = options.profile ? { launcher: launcherForProfile(findProfile(session.ctx.dataDir, options.profile)), exited: undefined } : clusterLauncherFor(options.on, flags, (l) => io.out(l));
      const printer = new RunProgressPrinter(io, { live: false });
      const result = await launchBundle({
        db: runsRuntime(session.ctx).catalog.db,
        dataDir: session.ctx.dataDir,
        bundleDir,
        launcher: target.launcher,
        exited: target.exited,
        request: { nproc: options.nproc, threads: options.threads ?? 0, steps: options.steps ?? 0 },
        skipVerify: options.skipVerify ?? false,
        onEvent: (e) => printer.handle(e),
        signal: abort.signal,
      });
      const summary = await session.call('runs/get', { runId: result.runId });
      printer.finish(summary);
      io.out(`run ${result.runId} ${result.state}; export it with umedpt export ${result.runId} <dir>`);
      return result.state === 'completed' ? 0 : 1;
    } finally {
      stopListening();
      await session.close();
    }
  });
}
