import { createNodeSettingsStore } from '../services/settingsStore';
import { settingsDir } from '../services/dataDir';
import { readAppVersion } from '../services/appVersion';
import { closeServices, createServiceContext, createServices, type ServiceContext } from '../services';
import type { ApiAction } from '../../shared/api';
import type { Handlers } from '../services/handlers';

export interface CliSession {
  ctx: ServiceContext;
  services: Handlers<ApiAction>;
  close(): Promise<void>;
}

export function openCliSession(transport: ServiceContext['transport'] = 'cli'): CliSession {
  const ctx = createServiceContext({ transport, appVersion: readAppVersion(), settings: createNodeSettingsStore(settingsDir()) });
  const services = createServices(ctx);
  return { ctx, services, close: () => closeServices(ctx) };
}
