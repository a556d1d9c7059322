/**
 * Runs on the PyTorch trainer from the app: the run is registered at once (so
 * the run page opens), bundled in a worker process (its progress lands in the
 * run's log), then started on this machine with N processes and followed:
 * its events reach the UI on the same 'runs/event' stream as an app run's.
 */
import path from 'node:path';
import { ApiError } from '../../shared/api';
import { formatRunConfigProblems } from '../../shared/runConfig';
import type { RunEvent } from '../../shared/api/runs';
import type { ServiceContext } from './context';
import type { Handlers } from './handlers';
import { runsRuntime } from './runsRuntime';
import { checkRunConfigPaths } from './fileAccess';
import { validateRunConfig } from '../runs/validateRunConfig';
import { MetricsLogWriter } from '../runs/metricsLog';
import { RunFollower, registerExternalRun } from '../cluster/clusterRun';
import { launchBundle } from '../cluster/launchBundle';
import type { ClusterJob, ClusterLauncher } from '../cluster/launcher';
import { LocalLauncher } from '../cluster/localLauncher';
import { findPythonTorch } from '../cluster/pythonTorch';
import { deleteProfile, findProfile, launcherForProfile, readProfiles, saveProfile } from '../cluster/clusterProfiles';
import { runBundleProcess } from '../cluster/bundleProcess';

interface ClusterRunEntry {
  launcher: ClusterLauncher | null;
  job: ClusterJob | null;
  cancelRequested: boolean;
}

const runningByContext = new WeakMap<ServiceContext, Map<string, ClusterRunEntry>>();

function running(ctx: ServiceContext): Map<string, ClusterRunEntry> {
  let map = runningByContext.get(ctx);
  if (!map) {
    map = new Map();
    runningByContext.set(ctx, map);
  }
  return map;
}

/** Cancels a PyTorch run this app started; false when the run is not one of them. */
export function cancelClusterRun(ctx: ServiceContext, runId: string): boolean {
  const entry = running(ctx).get(runId);
  if (!entry) return false;
  entry.cancelRequested = true;
  if (entry.launcher && entry.job) void entry.launcher.cancel(entry.job);
  return true;
}

export function createClusterHandlers(ctx: ServiceContext): Handlers<'cluster/python' | 'cluster/launch' | 'cluster/profiles' | 'cluster/saveProfile' | 'cluster/deleteProfile'> {
  const python = () => {
    try {
      return findPythonTorch();
    } catch (error) {
      throw new ApiError('unavailable', (error as Error).message);
    }
  };
  const profiles = <T>(run: () => T): T => {
    try {
      return run();
    } catch (error) {
      throw new ApiError('invalid_request', (error as Error).message);
    }
  };
  return {
    'cluster/profiles': () => profiles(() => readProfiles(ctx.dataDir)),
    'cluster/saveProfile': ({ profile }) => profiles(() => saveProfile(ctx.dataDir, profile)),
    'cluster/deleteProfile': ({ name }) => profiles(() => deleteProfile(ctx.dataDir, name)),
    'cluster/python': () => {
      const { python: exe, pythonVersion, torchVersion, cuda } = python();
      return { python: exe, pythonVersion, torchVersion, cuda };
    },
    'cluster/launch': ({ config, nproc, threads, on, profile: profileName }) => {
      checkRunConfigPaths(ctx, config);
      const runtime = runsRuntime(ctx);
      const { config: parsed, problems } = validateRunConfig(runtime.catalog, config);
      if (!parsed || problems.length) throw new ApiError('invalid_request', `the run configuration has ${problems.length} problem(s):\n${formatRunConfigProblems(problems)}`);
      if (on === 'profile' && !profileName) throw new ApiError('invalid_request', 'on: profile needs the name of a cluster profile');
      // a cluster needs no PyTorch here; this machine does
      const profile = on === 'profile' ? profiles(() => findProfile(ctx.dataDir, profileName!)) : null;
      const found = profile ? null : python();
      const db = runtime.catalog.db;
      const registered = registerExternalRun(db, ctx.dataDir, parsed, process.pid);
      const { runId, folder } = registered;
      const entry: ClusterRunEntry = { launcher: null, job: null, cancelRequested: false };
      running(ctx).set(runId, entry);
      const updated = (): void => {
        try {
          ctx.events.emit('runs/updated', runtime.manager.summary(runId));
        } catch {
          // the catalog closed with the app
        }
      };
      const forward = (event: RunEvent): void => {
        ctx.events.emit('runs/event', event);
        if (event.type === 'started' || event.type === 'validation' || event.type === 'epoch' || event.type === 'state') updated();
      };
      const follower = new RunFollower(db, runId, folder, forward);
      const end = (state: 'failed' | 'cancelled', message: string): void => {
        const log = new MetricsLogWriter(folder.metrics, runId);
        log.append({ type: 'state', state, message });
        log.close();
        follower.finish(message);
      };
      void (async () => {
        const timer = setInterval(() => follower.poll(), 500);
        try {
          const bundleDir = path.join(ctx.dataDir, 'bundles', runId);
          await runBundleProcess(runtime.launcher, { config: parsed, dir: bundleDir, dataDir: ctx.dataDir, appVersion: ctx.appVersion, runFolder: folder.root });
          clearInterval(timer);
          if (entry.cancelRequested) return end('cancelled', 'cancelled before training started');
          let exitedResolve: () => void = () => {};
          const exited = profile ? undefined : new Promise<void>((resolve) => (exitedResolve = resolve));
          const launcher = profile ? launcherForProfile(profile) : new LocalLauncher({ python: found!.python, onExit: () => exitedResolve() });
          entry.launcher = launcher;
          await launchBundle({
            db,
            dataDir: ctx.dataDir,
            bundleDir,
            launcher,
            exited,
            request: { nproc, threads },
            skipVerify: true,
            registered,
            follower,
            onStarted: (job) => {
              entry.job = job;
              if (entry.cancelRequested) void launcher.cancel(job);
            },
          });
        } catch (error) {
          end('failed', (error as Error).message);
        } finally {
          clearInterval(timer);
          running(ctx).delete(runId);
          updated();
        }
      })();
      updated();
      return runtime.manager.summary(runId);
    },
  };
}
