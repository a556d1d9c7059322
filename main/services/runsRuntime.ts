/**
 * One job manager and catalog connection per service context, opened on first
 * use (so `umedpt info` never touches them) and closed with the context.
 */
import { openCatalog, type Catalog } from '../catalog/openCatalog';
import type { ServiceContext } from './context';
import { JobManager } from '../runs/runManager';
import { defaultProcessLauncher, type ProcessLauncher } from '../workers/processLauncher';

export interface RunsRuntime {
  catalog: Catalog;
  manager: JobManager;
  launcher: ProcessLauncher;
}

const runtimes = new WeakMap<ServiceContext, RunsRuntime>();

export function runsRuntime(ctx: ServiceContext): RunsRuntime {
  let runtime = runtimes.get(ctx);
  if (runtime) return runtime;
  const catalog = openCatalog(ctx.dataDir);
  const launcher = defaultProcessLauncher();
  const manager = new JobManager({
    dataDir: ctx.dataDir,
    db: catalog.db,
    launcher,
    onEvent: (event) => ctx.events.emit('runs/event', event),
    onUpdate: (summary) => ctx.events.emit('runs/updated', summary),
    // The app adopts orphans and continues its queue at start; a CLI command only when it changes runs.
    activate: ctx.transport !== 'cli',
  });
  runtime = { catalog, manager, launcher };
  runtimes.set(ctx, runtime);
  ctx.disposers.push(async () => {
    await manager.dispose();
    catalog.close();
    runtimes.delete(ctx);
  });
  return runtime;
}
