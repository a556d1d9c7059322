import type { ServiceContext } from './context';
import type { Handlers } from './handlers';
import { allowedPath } from './fileAccess';

export function createSettingsHandlers(ctx: ServiceContext): Handlers<'settings/get' | 'settings/set'> {
  return {
    'settings/get': () => ctx.settings.get(),
    'settings/set': (patch) => {
      // a remote caller could otherwise move the data folder (a default root at the next start) anywhere
      if (patch.dataDir) allowedPath(ctx, patch.dataDir, 'data folder');
      return ctx.settings.set(patch);
    },
  };
}
