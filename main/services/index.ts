import type { ApiAction } from '../../shared/api';
import type { ServiceContext } from './context';
import type { Handlers } from './handlers';
import { createSystemHandlers } from './systemService';
import { createSettingsHandlers } from './settingsService';
import { createRunsHandlers } from './runsService';
import { createCatalogHandlers } from './catalogService';
import { createTasksHandlers } from './tasksService';
import { createImportHandlers } from './importService';
import { createEvalHandlers } from './evalService';
import { registerCatalogMediaRoutes } from './catalogMedia';
import { registerEvalMediaRoutes } from './evalMedia';
import { createDemoHandlers } from './demoService';
import { createClusterHandlers } from './clusterService';

/** The whole API, implemented once; transports only carry it. */
export function createServices(ctx: ServiceContext): Handlers<ApiAction> {
  registerCatalogMediaRoutes();
  registerEvalMediaRoutes();
  return {
    ...createSystemHandlers(ctx),
    ...createSettingsHandlers(ctx),
    ...createRunsHandlers(ctx),
    ...createCatalogHandlers(ctx),
    ...createTasksHandlers(ctx),
    ...createImportHandlers(ctx),
    ...createEvalHandlers(ctx),
    ...createDemoHandlers(ctx),
    ...createClusterHandlers(ctx),
  };
}

export async function closeServices(ctx: ServiceContext): Promise<void> {
  for (const dispose of ctx.disposers.splice(0).reverse()) await dispose();
}

export { dispatch } from './dispatch';
export { createServiceContext } from './context';
export type { ServiceContext } from './context';
