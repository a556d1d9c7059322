import path from 'node:path';
import type { Command } from 'commander';
import { cliAction, type CliEnv } from './commands';
import { createBundle, readRunConfigFile } from '../cluster/createBundle';
import { resolveRun } from './resolveRun';

export function defineBundleCommand(program: Command, env: CliEnv): Command {
  const command = program
    .command('bundle')
    .summary('a self-contained run bundle (data shards, weights, PyTorch trainer) for a cluster')
    .usage('<config.json> <dir> [--continue <run>]')
    .argument('<config.json>', 'the run config')
    .argument('<dir>', 'the bundle folder to write (must be new or empty)')
    .option('--continue <run>', "carry an app run's latest checkpoint, so the cluster continues it");
  return cliAction(command, env, async (configFile: string, dir: string, options: { continue?: string }) => {
    const { io } = env;
    const session = env.open();
    try {
      const continueRun = options.continue ? resolveRun(await session.call('runs/list', {}), options.continue).folder : undefined;
      let lastPhase = '';
      const result = await createBundle({
        config: readRunConfigFile(path.resolve(configFile)),
        dir: path.resolve(dir),
        dataDir: session.ctx.dataDir,
        appVersion: session.ctx.appVersion,
        continueRun,
        log: (m) => io.out(`  ${m}`),
        onProgress: (p) => {
          if (p.phase !== lastPhase || p.done === p.total) io.out(`${p.phase} ${p.done}/${p.total}: ${p.message}`);
          lastPhase = p.phase;
        },
      });
      io.out(`bundle written to ${result.dir}: ${result.images} images, ${result.files} files, ${(result.bytes / 1024 / 1024).toFixed(1)} MiB in ${result.seconds.toFixed(1)} s`);
      io.out(`train it here: umedpt launch ${result.dir} --on local --nproc 2   (README.md there: Slurm, torchrun)`);
      return 0;
    } finally {
      await session.close();
    }
  });
}
