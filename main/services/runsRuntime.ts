/**
 * The runs of a service context: one run manager on the context's catalog
 * connection, made on first use (so `umedpt info` never touches them) and
 * closed with the context.
 */
import type { Catalog } from '../catalog/openCatalog';
import type { ServiceContext } from './context';
import { catalogOf } from './catalogService';
import { perContext } from './contextResource';
import { RunManager } from '../runs/runManager';
import { defaultProcessLauncher, type ProcessLauncher } from '../workers/processLauncher';
import { launcherWithBackendSetting } from './backendSettingLauncher';

export interface RunsRuntime {
  catalog: Catalog;
  manager: RunManager;
  launcher: ProcessLauncher;
}

export const runsRuntime: (ctx: ServiceContext) => RunsRuntime = perContext(
  (ctx) => {
    const catalog = catalogOf(ctx);
    const launcher = launcherWithBackendSetting(defaultProcessLauncher(), () => ctx.settings.get().backend);
    const manager = new RunManager({
      dataDir: ctx.dataDir,
      db: catalog.db,
      launcher,
      onEvent: (event) => ctx.events.emit('runs/event', event),
      onUpdate: (summary) => ctx.events.emit('runs/updated', summary),
      // The app adopts orphans and continues its queue at start; a CLI command only when it changes runs.
      activate: ctx.transport !== 'cli',
    });
    return { catalog, manager, launcher };
  },
  (runtime) => runtime.manager.dispose(),
);
