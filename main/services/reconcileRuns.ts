import type { ServiceContext } from './context';
import { runsRuntime } from './runsRuntime';

/**
 * At the start of every long-lived host (the desktop app, `umedpt serve`): adopt training processes whose
 * parent died, settle runs whose process is gone from their completion record, and continue the queue —
 * at once, not at the first runs call. One-shot CLI commands only read (runTruth shows them the truth).
 */
export function reconcileRunsAtStart(ctx: ServiceContext): void {
  runsRuntime(ctx).manager.activate();
}
