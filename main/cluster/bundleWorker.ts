/** Entry of the bundle worker: one 'bundle' command, one 'result', exit. */
import { exitSoon, parentChannel } from '../workers/parentChannel';
import type { BundleCommand, BundleMessage } from './bundleProcess';
import { bundleForRun } from './bundleTool';

const channel = parentChannel<BundleCommand, BundleMessage>();

async function handle(command: BundleCommand): Promise<void> {
  if (command.type !== 'bundle') return;
  try {
    await channel.post({ type: 'result', ok: true, value: await bundleForRun(command.options) });
  } catch (error) {
    await channel.post({ type: 'result', ok: false, error: error instanceof Error ? error.message : String(error) });
  }
  exitSoon(0);
}

channel.listen((command) => void handle(command));
