import type { ServiceContext } from './context';
import type { Handlers } from './handlers';

export function createSettingsHandlers(ctx: ServiceContext): Handlers<'settings/get' | 'settings/set'> {
  return {
    'settings/get': () => ctx.settings.get(),
    'settings/set': (patch) => ctx.settings.set(patch),
  };
}
