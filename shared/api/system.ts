import { z } from 'zod';
import { endpoint } from './endpoint';
import { backendNames, backendNameSchema, type BackendName } from '../vocabulary';

export { backendNames, backendNameSchema };
export type { BackendName };

export interface BackendStatus {
  name: BackendName;
  /** npm package that provides it */
  packageName: string;
  installed: boolean;
  /** whether it loaded (only probed for the selected one and those tried before it) */
  available: boolean;
  /** one line: why it is not used, or why it was selected */
  reason: string;
}

export interface SystemInfo {
  appName: string;
  appVersion: string;
  platform: string;
  arch: string;
  nodeVersion: string;
  transport: 'electron' | 'server' | 'cli';
  dataDir: string;
  backends: BackendStatus[];
  selectedBackend: BackendName;
  selectionReason: string;
  forcedBy: 'setting' | 'environment' | null;
}

export const systemApi = {
  'system/info': endpoint<SystemInfo>()(z.object({}).strict()),
};
