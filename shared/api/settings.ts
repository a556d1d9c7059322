import { z } from 'zod';
import { endpoint } from './endpoint';
import { backendNameSchema } from './system';

export const settingsSchema = z.object({
  /** 'auto' lets the engine pick the best installed backend */
  backend: z.union([z.literal('auto'), backendNameSchema]).default('auto'),
  theme: z.enum(['light', 'dark', 'system']).default('system'),
  /** overrides the OS data folder when set (UMEDPT_HOME still wins) */
  dataDir: z.string().min(1).nullable().default(null),
});
export type Settings = z.infer<typeof settingsSchema>;
export const defaultSettings: Settings = settingsSchema.parse({});

export const settingsApi = {
  'settings/get': endpoint<Settings>()(z.object({}).strict()),
  'settings/set': endpoint<Settings>()(settingsSchema.partial().strict()),
};
