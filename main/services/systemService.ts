import os from 'node:os';
import type { ServiceContext } from './context';
import type { Handlers } from './handlers';
import { probeBackends } from '../engine/backend/probe';
import { appName } from './dataDir';
import { backendNameSchema, type BackendName, type SystemInfo } from '../../shared/api';

/** UMEDPT_BACKEND beats the setting; 'auto' or unset means no forcing. */
export function forcedBackend(settingBackend: string, env: NodeJS.ProcessEnv = process.env): { backend: BackendName | null; by: SystemInfo['forcedBy'] } {
  const fromEnv = env.UMEDPT_BACKEND?.trim();
  if (fromEnv && fromEnv !== 'auto') {
    const parsed = backendNameSchema.safeParse(fromEnv);
    if (parsed.success) return { backend: parsed.data, by: 'environment' };
  }
  if (settingBackend !== 'auto') {
    const parsed = backendNameSchema.safeParse(settingBackend);
    if (parsed.success) return { backend: parsed.data, by: 'setting' };
  }
  return { backend: null, by: null };
}

export function buildSystemInfo(ctx: ServiceContext): SystemInfo {
  const forced = forcedBackend(ctx.settings.get().backend);
  const probe = probeBackends(forced.backend);
  return {
    appName,
    appVersion: ctx.appVersion,
    platform: `${process.platform} ${os.release()}`,
    arch: process.arch,
    nodeVersion: process.versions.node,
    transport: ctx.transport,
    dataDir: ctx.dataDir,
    backends: probe.backends,
    selectedBackend: probe.selected,
    selectionReason: probe.reason,
    forcedBy: forced.by,
  };
}

export function createSystemHandlers(ctx: ServiceContext): Handlers<'system/info'> {
  return { 'system/info': () => buildSystemInfo(ctx) };
}
