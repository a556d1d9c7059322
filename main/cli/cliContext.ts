import { createNodeSettingsStore } from '../services/settingsStore';
import { settingsDir } from '../services/dataDir';
import { readAppVersion } from '../services/appVersion';
import { closeServices, createServiceContext, createServices, dispatch, type ServiceContext } from '../services';
import { ApiError, type ApiAction, type ApiEventMessage, type ApiRequest, type ApiResponse } from '../../shared/api';
import type { Handlers } from '../services/handlers';

export interface CliSession {
  ctx: ServiceContext;
  services: Handlers<ApiAction>;
  /**
   * One API call through the same entry as the app's and the server's
   * transports: the request is checked by its schema, failures come back as
   * an ApiError with the service's message.
   */
  call<K extends ApiAction>(action: K, request: ApiRequest<K>): Promise<ApiResponse<K>>;
  /** The API's event stream (runs/event, import/progress, eval/progress...). */
  subscribe(listener: (message: ApiEventMessage) => void): () => void;
  close(): Promise<void>;
}

export function openCliSession(transport: ServiceContext['transport'] = 'cli'): CliSession {
  const ctx = createServiceContext({ transport, appVersion: readAppVersion(), settings: createNodeSettingsStore(settingsDir()) });
  const services = createServices(ctx);
  return {
    ctx,
    services,
    async call(action, request) {
      const result = await dispatch(services, action, request);
      if (!result.ok) throw new ApiError(result.error.code, result.error.message);
      return result.value as ApiResponse<typeof action>;
    },
    subscribe: (listener) => ctx.events.subscribe(listener),
    close: () => closeServices(ctx),
  };
}
