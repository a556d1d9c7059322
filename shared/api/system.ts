import { z } from 'zod';
import { endpoint } from './endpoint';
import { backendNames, backendNameSchema, type BackendName } from '../vocabulary';
import type { BackendProbeResult } from '../backendChoice';

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
  /** webgpu: the adapter found, hardware or software (also when it is not used) */
  adapter?: GpuAdapterDescription;
}

/** A WebGPU adapter as the engine reports it (umedpt info, system/info, the status bar). */
export interface GpuAdapterDescription {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** a fallback / CPU adapter (SwiftShader, llvmpipe, lavapipe): never chosen automatically */
  software: boolean;
  /** which WebGPU implementation: Dawn in Node (`webgpu` package) or Chromium's in an engine window */
  via: 'dawn-node' | 'chromium';
  /** the software Vulkan driver the engine pointed the loader at, if it did */
  softwareDriver: string | null;
  timestampQuery: boolean;
  limits: { maxBufferSize: number; maxStorageBufferBindingSize: number; maxComputeWorkgroupStorageSize: number; maxComputeInvocationsPerWorkgroup: number };
}

/** One line: vendor, architecture, hardware or software, key limits. */
export function formatAdapter(a: GpuAdapterDescription): string {
  const name = a.description || a.device || 'unnamed adapter';
  const mib = (n: number) => `${Math.round(n / 2 ** 20)} MiB`;
  return `${name} (${[a.vendor, a.architecture].filter(Boolean).join(' ') || 'unknown vendor'}; ${a.software ? 'software' : 'hardware'}; max buffer ${mib(a.limits.maxBufferSize)}, storage binding ${mib(a.limits.maxStorageBufferBindingSize)}, workgroup storage ${a.limits.maxComputeWorkgroupStorageSize} B, ${a.limits.maxComputeInvocationsPerWorkgroup} invocations${a.timestampQuery ? ', timestamp queries' : ''})`;
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
  /** what the next run on 'auto' uses (in the desktop app, before the engine window's adapter is known: see webgpuVia) */
  selectedBackend: BackendName;
  selectionReason: string;
  /** the backend UMEDPT_BACKEND or the setting asks for (null: automatic) */
  forcedBackend: BackendName | null;
  forcedBy: 'setting' | 'environment' | null;
  /** what the static probes found of each backend: the automatic walk's input (shared/backendChoice.ts) */
  probes: Partial<Record<BackendName, BackendProbeResult>>;
  /**
   * where a run's webgpu comes from: Dawn in the training process (CLI, browser
   * mode) or, in the desktop app, Chromium's in the engine window, whose adapter
   * the app's own page can see (navigator.gpu) and the main process cannot
   */
  webgpuVia: 'dawn-node' | 'engine-window';
}

export const systemApi = {
  'system/info': endpoint<SystemInfo>()(z.object({}).strict()),
};
