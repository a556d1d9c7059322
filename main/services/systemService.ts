import os from 'node:os';
import type { ServiceContext } from './context';
import type { Handlers } from './handlers';
import { probeBackends, type WebgpuProbe } from '../engine/backend/probe';
import { findWebgpuAdapter } from '../engine/backend/webgpuAdapter';
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

let adapterLookup: Promise<WebgpuProbe> | null = null;

/**
 * The WebGPU adapter, looked for once per process (Dawn loads in ~0.1 s; the
 * answer does not change while the app runs), software drivers included so
 * the info can name them; at most 10 s.
 */
export function lookUpWebgpuAdapter(): Promise<WebgpuProbe> {
  adapterLookup ??= Promise.race([
    findWebgpuAdapter({ allowSoftware: true, restoreEnvironment: true }).then(({ description, reason }) => ({ description, reason })),
    new Promise<WebgpuProbe>((resolve) => setTimeout(() => resolve({ description: null, reason: 'looking for a WebGPU adapter took over 10 s' }), 10_000).unref()),
  ]).catch((err: unknown) => ({ description: null, reason: `looking for a WebGPU adapter failed: ${String(err)}` }));
  return adapterLookup;
}

export async function buildSystemInfo(ctx: ServiceContext): Promise<SystemInfo> {
  const forced = forcedBackend(ctx.settings.get().backend);
  const probe = probeBackends(forced.backend, await lookUpWebgpuAdapter());
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
