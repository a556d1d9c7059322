/**
 * `umedpt launch <bundle>`: checks the bundle, registers the run in the
 * catalog, starts it through a launcher and follows it (progress, validation
 * into the catalog, final state) until it ends; if this process dies, the app
 * adopts the run through its heartbeat like any orphaned run.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { RunEvent, RunState } from '../../shared/api/runs';
import { formatRunConfigProblems, parseRunConfig, type RunConfig } from '../../shared/runConfig';
import { RunFollower, registerExternalRun, type RegisteredRun } from './clusterRun';
import type { ClusterJob, ClusterLauncher, LaunchRequest } from './launcher';
import { verifyBundle } from './runBundle';

export function readBundleConfig(bundleDir: string): RunConfig {
  const file = path.join(bundleDir, 'config.json');
  if (!existsSync(path.join(bundleDir, 'bundle.json')) || !existsSync(file)) throw new Error(`${bundleDir}: not a run bundle (needs bundle.json and config.json; make one with umedpt bundle)`);
  const parsed = parseRunConfig(JSON.parse(readFileSync(file, 'utf8')) as unknown);
  if (!parsed.ok) throw new Error(`${file}: ${formatRunConfigProblems(parsed.problems)}`);
  return parsed.config;
}

export interface LaunchBundleOptions {
  db: Database.Database;
  dataDir: string;
  bundleDir: string;
  launcher: ClusterLauncher;
  request: Omit<LaunchRequest, 'bundleDir' | 'runFolder'>;
  /** skip the checksum pass (large bundles already checked) */
  skipVerify?: boolean;
  onEvent?: (event: RunEvent) => void;
  /** an AbortSignal that cancels the job (Ctrl-C) */
  signal?: AbortSignal;
  pollMs?: number;
  /** resolves when the launcher's processes have ended (local); otherwise status() is polled */
  exited?: Promise<void>;
  /** a run already registered (the app registers first, so bundle progress lands in its log) */
  registered?: RegisteredRun;
  onRegistered?: (runId: string) => void;
  /** a follower already reading the run's log (so nothing is forwarded twice) */
  follower?: RunFollower;
  /** the job, once started (the app keeps it to cancel it) */
  onStarted?: (job: ClusterJob) => void;
}

export interface LaunchBundleResult {
  runId: string;
  runFolder: string;
  job: ClusterJob;
  state: RunState;
}

export async function launchBundle(options: LaunchBundleOptions): Promise<LaunchBundleResult> {
  const bundleDir = path.resolve(options.bundleDir);
  const config = readBundleConfig(bundleDir);
  if (!options.skipVerify) {
    const problems = verifyBundle(bundleDir);
    if (problems.length) throw new Error(`${bundleDir}: the bundle does not match its MANIFEST.sha256:\n  ${problems.slice(0, 10).join('\n  ')}`);
  }
  const { runId, folder } = options.registered ?? registerExternalRun(options.db, options.dataDir, config, process.pid);
  options.onRegistered?.(runId);
  const follower = options.follower ?? new RunFollower(options.db, runId, folder, options.onEvent);
  let job: ClusterJob;
  try {
    job = await options.launcher.launch({ ...options.request, bundleDir, runFolder: folder.root });
  } catch (error) {
    follower.finish(`could not start: ${(error as Error).message}`);
    throw error;
  }
  options.onStarted?.(job);
  let cancelled = false;
  const onAbort = (): void => {
    if (cancelled) return;
    cancelled = true;
    void options.launcher.cancel(job);
  };
  options.signal?.addEventListener('abort', onAbort);
  let ended = false;
  void options.exited?.then(() => (ended = true));
  const pollMs = options.pollMs ?? 1000;
  try {
    for (;;) {
      follower.poll();
      if (ended) break;
      if (!options.exited) {
        const status = await options.launcher.status(job);
        if (status === 'completed' || status === 'failed' || status === 'cancelled') break;
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  const state = follower.finish(`the trainer ended without a final state (see ${folder.log})`);
  return { runId, runFolder: folder.root, job, state };
}
