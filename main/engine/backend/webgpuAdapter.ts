/**
 * Finds a WebGPU adapter for the engine in Node through Dawn's binding (the
 * optional npm package `webgpu`). A hardware adapter is taken whenever there
 * is one; a software one (SwiftShader, llvmpipe, lavapipe) only when the
 * caller allows it (webgpu forced), and then the engine looks for one by
 * itself: an adapter the system offers, else each installed software Vulkan
 * driver in turn (vulkan.ts), by pointing the loader at its manifest.
 */
import type { GpuAdapterDescription } from '../../../shared/api';
import { installedSoftwareDrivers, missingVulkanLoaderReason, softwareVulkanDrivers } from './vulkan';
import { softwareAdapterPattern } from '../../../shared/backendChoice';

/** The part of WebGPU's GPUAdapter the engine reads (the `webgpu` package is optional, so its types are not assumed). */
export interface DawnAdapter {
  readonly info: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter?: boolean };
  readonly isFallbackAdapter?: boolean;
  readonly features: { has(name: string): boolean };
  readonly limits: Record<string, number>;
  requestDevice(descriptor?: object): Promise<unknown>;
}

interface DawnGpu {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<DawnAdapter | null>;
}

interface DawnModule {
  create(flags: string[]): DawnGpu;
  globals: Record<string, unknown>;
}

export interface AdapterSearch {
  adapter: DawnAdapter | null;
  description: GpuAdapterDescription | null;
  /** why no adapter is used (null when one is) */
  reason: string | null;
}

export function isSoftwareAdapter(adapter: DawnAdapter): boolean {
  const { info } = adapter;
  return Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter) || softwareAdapterPattern.test(`${info.description} ${info.architecture} ${info.device}`);
}

export function describeAdapter(adapter: DawnAdapter, softwareDriver: string | null): GpuAdapterDescription {
  const { info, limits } = adapter;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    software: isSoftwareAdapter(adapter),
    via: 'dawn-node',
    softwareDriver,
    timestampQuery: adapter.features.has('timestamp-query'),
    limits: {
      maxBufferSize: limits.maxBufferSize ?? 0,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize ?? 0,
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize ?? 0,
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup ?? 0,
    },
  };
}

let dawn: DawnModule | null = null;

/** Loads Dawn's Node binding once and installs its WebGPU globals (GPUBufferUsage, ...) that tfjs-backend-webgpu reads. */
export async function loadDawn(): Promise<DawnModule> {
  if (dawn) return dawn;
  // A variable specifier keeps bundlers and tsc from resolving an optional package.
  const specifier = 'webgpu';
  const loaded = (await import(/* @vite-ignore */ specifier)) as DawnModule & { default?: DawnModule };
  const module = typeof loaded.create === 'function' ? loaded : loaded.default!;
  Object.assign(globalThis, module.globals);
  dawn = module;
  return module;
}

function message(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}

/**
 * Each GPU instance that handed out an adapter: Dawn's instance must outlive
 * its adapters and devices, and a collected one leaves them dead (hangs).
 */
const liveInstances = new Set<DawnGpu>();

async function requestAdapter(module: DawnModule): Promise<DawnAdapter | null> {
  const gpu = module.create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter) liveInstances.add(gpu);
  return adapter;
}

/**
 * Looks for an adapter. allowSoftware: also accept a software adapter, and
 * look for an installed software driver when the system offers none (this
 * sets VK_ICD_FILENAMES for the rest of the process unless restoreEnvironment).
 */
export async function findWebgpuAdapter(options: { allowSoftware: boolean; restoreEnvironment?: boolean }): Promise<AdapterSearch> {
  if (process.versions.electron) {
    return { adapter: null, description: null, reason: "Dawn's Node binding cannot run in an Electron process; the desktop app trains on Chromium's WebGPU in its engine window" };
  }
  let module: DawnModule;
  try {
    module = await loadDawn();
  } catch (err) {
    const missing = /Cannot find (package|module)/.test(message(err));
    return { adapter: null, description: null, reason: missing ? 'webgpu (Dawn for Node) is not installed (optional dependency skipped at install)' : `webgpu (Dawn for Node) failed to load: ${message(err)}` };
  }
  const noLoader = missingVulkanLoaderReason();
  let systemAdapter: DawnAdapter | null = null;
  if (!noLoader) {
    try {
      systemAdapter = await requestAdapter(module);
    } catch (err) {
      return { adapter: null, description: null, reason: `requesting a WebGPU adapter failed: ${message(err)}` };
    }
  }
  if (systemAdapter && !isSoftwareAdapter(systemAdapter)) return { adapter: systemAdapter, description: describeAdapter(systemAdapter, null), reason: null };
  const drivers = installedSoftwareDrivers();
  if (!options.allowSoftware) {
    if (noLoader) return { adapter: null, description: null, reason: noLoader };
    if (systemAdapter) {
      const description = describeAdapter(systemAdapter, null);
      return { adapter: null, description, reason: `only a fallback adapter (${description.description || description.device}); a software adapter is used only when webgpu is forced` };
    }
    const software = drivers.length ? `; a software driver is installed (${drivers.map((d) => d.name).join(', ')}), used only when webgpu is forced` : '';
    return { adapter: null, description: null, reason: `no WebGPU adapter: no GPU with a Vulkan driver${software}` };
  }
  if (systemAdapter) return { adapter: systemAdapter, description: describeAdapter(systemAdapter, null), reason: null };
  if (noLoader) return { adapter: null, description: null, reason: noLoader };
  const saved = process.env.VK_ICD_FILENAMES;
  for (const driver of drivers) {
    // The Vulkan loader reads this variable at each instance creation.
    process.env.VK_ICD_FILENAMES = driver.icd;
    let adapter: DawnAdapter | null = null;
    try {
      adapter = await requestAdapter(module);
    } catch {
      adapter = null;
    }
    if (adapter) {
      if (options.restoreEnvironment) restore(saved);
      return { adapter, description: describeAdapter(adapter, driver.name), reason: null };
    }
  }
  restore(saved);
  const known = softwareVulkanDrivers.map((d) => `${d.name} from Debian package ${d.debianPackage}`).join(', ');
  return { adapter: null, description: null, reason: drivers.length ? `no WebGPU adapter, not even on ${drivers.map((d) => d.name).join(', ')}` : `no WebGPU adapter and no software Vulkan driver (${known})` };
}

function restore(saved: string | undefined): void {
  if (saved === undefined) delete process.env.VK_ICD_FILENAMES;
  else process.env.VK_ICD_FILENAMES = saved;
}
