import path from 'node:path';
import type { CliCommand } from './commands';
import { parseFlags } from './commands';
import { createBundle, readRunConfigFile } from '../cluster/createBundle';
import { resolveRun } from './resolveRun';

export const bundleCommand: CliCommand = {
  name: 'bundle',
  usage: 'umedpt bundle <config.json> <dir> [--continue <run>]',
  summary: 'a self-contained run bundle (data shards, weights, PyTorch trainer) for a cluster',
  async run(args, io, open) {
    const { positionals, flags } = parseFlags(args);
    const [configFile, dir] = positionals;
    if (!configFile || !dir) {
      io.err('usage: umedpt bundle <config.json> <dir> [--continue <run>]');
      return 2;
    }
    const session = open();
    try {
      const continueRef = flags.get('continue');
      const continueRun = typeof continueRef === 'string' ? resolveRun(await session.services['runs/list']({}), continueRef).folder : undefined;
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
  },
};
