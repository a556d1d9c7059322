/**
 * Every worker the services start carries the app's "Default engine backend"
 * setting, read at each start (a changed setting reaches the next process):
 * an engine process (run, study, export, predictions) applies it below its
 * own config and UMEDPT_BACKEND (shared/backendChoice.ts).
 */
import { backendSettingVariable } from '../../shared/backendChoice';
import type { LaunchOptions, ProcessLauncher, WorkerProcess } from '../workers/processLauncher';

export function launcherWithBackendSetting(launcher: ProcessLauncher, backendSetting: () => string): ProcessLauncher {
  return {
    launch<In, Out>(options: LaunchOptions): WorkerProcess<In, Out> {
      return launcher.launch<In, Out>({ ...options, env: { ...options.env, [backendSettingVariable]: backendSetting() } });
    },
  };
}
