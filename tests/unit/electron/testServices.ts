import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ApiAction } from '../../../shared/api';
import { createServiceContext, createServices, type ServiceContext } from '../../../main/services';
import type { Handlers } from '../../../main/services/handlers';
import { createMemorySettingsStore } from '../../../main/services/settingsStore';

/** Real services over an in-memory settings store and a fresh data folder. */
export function realServices(): { ctx: ServiceContext; handlers: Handlers<ApiAction>; calls: string[] } {
  const home = mkdtempSync(path.join(os.tmpdir(), 'umedpt-electron-'));
  const ctx = createServiceContext({ transport: 'electron', appVersion: '9.9.9', settings: createMemorySettingsStore(), env: { UMEDPT_HOME: home } });
  const services = createServices(ctx);
  const calls: string[] = [];
  // Same handlers, counting which ones a call reached.
  const handlers = Object.fromEntries(
    Object.entries(services).map(([action, handler]) => [
      action,
      (request: unknown) => {
        calls.push(action);
        return (handler as (r: unknown) => unknown)(request);
      },
    ]),
  ) as unknown as Handlers<ApiAction>;
  return { ctx, handlers, calls };
}
