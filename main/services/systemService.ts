import os from 'node:os';
import type { ServiceContext } from './context';
import type { Handlers } from './handlers';
import { probeBackends, type WebgpuProbe } from '../engine/backend/probe';
import { findWebgpuAdapter } from '../engine/backend/webgpuAdapter';
import { appName } from './dataDir';
import type { BackendName, SystemInfo } from '../../shared/api';
import { resolveBackendRequest, type BackendRequest } from '../../shared/backendChoice';

/**
 * What the next run on 'auto' will be asked for: UMEDPT_BACKEND beats the
 * setting (the precedence of shared/backendChoice.ts, which the engine
 * processes apply too); an unknown UMEDPT_BACKEND is passed over here (the
 * run itself fails naming it).
 */
export function forcedBackend(settingBackend: string, env: NodeJS.ProcessEnv = process.env): { backend: BackendName | null; by: SystemInfo['forcedBy'] } {
  let request: BackendRequest;
  try {
    request = resolveBackendRequest({ environment: env.UMEDPT_BACKEND, setting: settingBackend });
  } catch {
    request = resolveBackendRequest({ setting: settingBackend });
  }
  return { backend: request.forced, by: request.source === 'environment' || request.source === 'setting' ? request.source : null };
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
  const probe = probeBackends(forced.backend, await lookUpWebgpuAdapter(), forced.by ?? 'automatic');
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
    forcedBackend: forced.backend,
    forcedBy: forced.by,
    probes: probe.results,
    webgpuVia: ctx.transport === 'electron' ? 'engine-window' : 'dawn-node',
  };
}

export function createSystemHandlers(ctx: ServiceContext): Handlers<'system/info'> {
  return { 'system/info': () => buildSystemInfo(ctx) };
}
