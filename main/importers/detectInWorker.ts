/**
 * import/detect off the main loop: the folder walk, format detection and planning (which may read an
 * archive or thousands of annotation files) run in a short-lived import worker, never on the server's or
 * Electron main process's event loop. A detection past its deadline is ended (the worker killed) with a
 * clear reason.
 */
import { defaultProcessLauncher, type ProcessLauncher } from '../workers/processLauncher';
import type { ImportPlan } from './importPlan';
import type { PlanRequest } from './buildImportPlan';
import type { FromImportWorker, PlanPreview, ToImportWorker } from './importMessages';
import type { SplitCounts } from '../../shared/api/catalog';

export type { PlanPreview } from './importMessages';

/** Longest a detection may take before its worker is ended (UMEDPT_DETECT_DEADLINE_MS overrides). */
export function detectDeadlineMs(env: NodeJS.ProcessEnv = process.env): number {
  const configured = Number(env.UMEDPT_DETECT_DEADLINE_MS);
  return Number.isFinite(configured) && configured > 0 ? configured : 120_000;
}

/** What the wizard shows of a plan: counts, classes, splits, known problems. Pure. */
export function previewOfPlan(plan: ImportPlan): PlanPreview {
  const splits: SplitCounts = { train: 0, val: 0, test: 0 };
  for (const item of plan.items) if (!item.skip && item.split) splits[item.split]++;
  return {
    path: plan.sourcePath,
    format: plan.format,
    kind: plan.kind,
    datasetName: plan.datasetName,
    itemCount: plan.items.filter((i) => !i.skip).length,
    classes: plan.classes,
    multiLabel: plan.multiLabel,
    splits,
    publisherSplit: plan.publisherSplit,
    skipped: [...plan.skipped, ...plan.items.filter((i) => i.skip).map((i) => ({ path: i.key, reason: i.skip! }))],
    ...(plan.pairing ? { pairing: plan.pairing } : {}),
    ...(plan.besideFolders ? { besideFolders: plan.besideFolders } : {}),
    ...(plan.instanceMasks ? { instanceMasks: true } : {}),
    ...(plan.instanceMasks && plan.instanceClassSource !== undefined ? { instanceClasses: plan.instanceClassSource } : {}),
  };
}

export class DetectFailed extends Error {}

/** signal: the caller went away; the worker is ended and the detection rejected. */
export function detectInWorker(request: PlanRequest, options: { launcher?: ProcessLauncher; deadlineMs?: number; signal?: AbortSignal } = {}): Promise<PlanPreview> {
  const launcher = options.launcher ?? defaultProcessLauncher();
  const deadlineMs = options.deadlineMs ?? detectDeadlineMs();
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(new DetectFailed(`${request.path}: detection cancelled (the caller went away)`));
  return new Promise((resolve, reject) => {
    let stderr = '';
    let settled = false;
    const child = launcher.launch<ToImportWorker, FromImportWorker>({
      entry: 'import',
      args: [],
      onStderr: (text) => {
        stderr = (stderr + text).slice(-2000);
      },
      ownProcessGroup: false,
    });
    const cancel = () => {
      settle(() => reject(new DetectFailed(`${request.path}: detection cancelled (the caller went away)`)));
      child.kill('SIGKILL');
    };
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancel);
      finish();
    };
    signal?.addEventListener('abort', cancel, { once: true });
    const timer = setTimeout(() => {
      settle(() => reject(new DetectFailed(`${request.path}: detection took longer than ${Math.round(deadlineMs / 1000)} s and was stopped (a very large folder? name the format or a smaller folder)`)));
      child.kill('SIGKILL');
    }, deadlineMs);
    timer.unref?.();
    child.onMessage((message) => {
      if (message.type === 'detected') settle(() => resolve(message.preview));
      else if (message.type === 'failed') settle(() => reject(new DetectFailed(message.error)));
    });
    child.onExit((code, signal) => {
      settle(() => reject(new DetectFailed(`detection ended (${signal ?? `exit code ${code}`}) without an answer${stderr ? `: ${stderr.trim().split('\n').slice(-2).join(' | ')}` : ''}`)));
    });
    child.send({ type: 'detect', request });
  });
}
