/**
 * The studies of a service context: one study manager, made on first use (so
 * `umedpt info` never touches it) and closed with the context; its progress
 * goes out as 'eval/progress'.
 */
import type { ServiceContext } from './context';
import { perContext } from './contextResource';
import { StudyManager } from '../studies/studyManager';
import { defaultProcessLauncher } from '../workers/processLauncher';
import { launcherWithBackendSetting } from './backendSettingLauncher';

export const evalJobManager: (ctx: ServiceContext) => StudyManager = perContext(
  (ctx) =>
    new StudyManager({
      dataDir: ctx.dataDir,
      launcher: launcherWithBackendSetting(defaultProcessLauncher(), () => ctx.settings.get().backend),
      onProgress: (event) => ctx.events.emit('eval/progress', event),
    }),
  (manager) => manager.dispose(),
);
