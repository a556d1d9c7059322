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

/** An absolute path on POSIX (/...) or Windows (C:\\... or \\\\server\\...); shared code has no node:path. */
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

/**
 * A change to some settings. No defaults here: zod's partial() keeps a field's default, so
 * a patch naming only the data folder would also reset the theme and the backend.
 */
export const settingsPatchSchema = z
  .object({
    backend: z.union([z.literal('auto'), backendNameSchema]).optional(),
    theme: z.enum(['light', 'dark', 'system']).optional(),
    dataDir: z
      .string()
      .trim()
      .min(1, 'the data folder is empty; clear the field to use the default folder')
      .refine(isAbsolutePath, { error: (issue) => `the data folder must be an absolute path (e.g. /home/me/umedpt), got "${String(issue.input)}"` })
      .nullable()
      .optional(),
  })
  .strict();

export const settingsApi = {
  'settings/get': endpoint<Settings>()(z.object({}).strict()),
  'settings/set': endpoint<Settings>()(settingsPatchSchema),
};
