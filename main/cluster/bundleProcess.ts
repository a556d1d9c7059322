/**
 * Writes an app-launched run's bundle in a worker process of its own (entry
 * 'bundle'), so tfjs and the data loading never block the app's main thread.
 */
import type { ProcessLauncher } from '../workers/processLauncher';
import type { BundleToolOptions } from './bundleTool';
import type { WriteBundleResult } from './runBundle';

export type BundleCommand = { type: 'bundle'; options: BundleToolOptions };
export type BundleMessage = { type: 'result'; ok: true; value: WriteBundleResult } | { type: 'result'; ok: false; error: string };

export function runBundleProcess(launcher: ProcessLauncher, options: BundleToolOptions): Promise<WriteBundleResult> {
  return new Promise<WriteBundleResult>((resolve, reject) => {
    const proc = launcher.launch<BundleCommand, BundleMessage>({ entry: 'bundle', args: [] });
    let settled = false;
    proc.onMessage((message) => {
      if (settled) return;
      settled = true;
      if (message.ok) resolve(message.value);
      else reject(new Error(message.error));
    });
    proc.onExit((code, signal) => {
      if (settled) return;
      settled = true;
      reject(new Error(`the bundle process ended without an answer (${signal ?? `exit code ${code}`})`));
    });
    proc.send({ type: 'bundle', options });
  });
}
