/**
 * The bundle step of an app-launched PyTorch run, in a worker process (tfjs and
 * the data loading never block the app's main thread): its progress goes into
 * the run's metrics.jsonl as log events, which the app's follower forwards
 * live to the run page.
 */
import type { RunConfig } from '../../shared/runConfig';
import { MetricsLogWriter } from '../runs/metricsLog';
import { runFolderAt } from '../runs/runFolder';
import { createBundle } from './createBundle';
import type { WriteBundleResult } from './runBundle';

export interface BundleToolOptions {
  config: RunConfig;
  dir: string;
  dataDir: string;
  appVersion: string;
  runFolder: string;
}

export async function bundleForRun(options: BundleToolOptions): Promise<WriteBundleResult> {
  const folder = runFolderAt(options.runFolder);
  const log = new MetricsLogWriter(folder.metrics, options.runFolder.split(/[\\/]/).pop() ?? 'run');
  const say = (message: string): void => {
    log.append({ type: 'log', level: 'info', message });
  };
  try {
    say(`writing the run bundle to ${options.dir}`);
    let lastPhase = '';
    const result = await createBundle({
      config: options.config,
      dir: options.dir,
      dataDir: options.dataDir,
      appVersion: options.appVersion,
      log: say,
      onProgress: (p) => {
        if (p.phase !== lastPhase || p.done === p.total) say(`bundle ${p.phase} ${p.done}/${p.total}: ${p.message}`);
        lastPhase = p.phase;
      },
    });
    say(`bundle written: ${result.images} images, ${(result.bytes / 2 ** 20).toFixed(1)} MiB in ${result.seconds.toFixed(1)} s`);
    return result;
  } finally {
    log.close();
  }
}
