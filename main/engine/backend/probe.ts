/**
 * Static probe of the engine backends: what is installed and which one the
 * engine would select, without initialising any of them in this process
 * (loading libtensorflow into the main process would cost memory and seconds).
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BackendName, BackendStatus, GpuAdapterDescription } from '../../../shared/api';
import { backendNames } from '../../../shared/vocabulary';
import { automaticBackend, automaticExclusion, backendSourceWords, type BackendProbeResult, type BackendSource } from '../../../shared/backendChoice';
import { missingVulkanLoaderReason, vulkanLaunchEnvironment } from './vulkan';

const require = createRequire(import.meta.url);

/** best first: the vocabulary declares the backends in this order */
export const backendOrder: readonly BackendName[] = backendNames;

export const backendPackages: Record<BackendName, string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  webgpu: '@tensorflow/tfjs-backend-webgpu',
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

export interface BackendProbe {
  backends: BackendStatus[];
  selected: BackendName;
  reason: string;
  /** what the static checks and the adapter found of each backend */
  results: Record<BackendName, BackendProbeResult>;
}

function packageDir(name: string): string | null {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    return null;
  }
}

function nativeBindingPresent(dir: string): boolean {
  return existsSync(path.join(dir, 'lib')) && existsSync(path.join(dir, 'deps', 'lib'));
}

function cudaLibrariesFound(): boolean {
  const dirs = [
    ...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    '/usr/local/cuda/lib64',
    '/usr/lib/x86_64-linux-gnu',
    '/usr/local/cuda-11.2/lib64',
  ];
  return dirs.some((d) => existsSync(path.join(d, 'libcudart.so.11.0'))) && dirs.some((d) => existsSync(path.join(d, 'libcudnn.so.8')));
}

/** Why a backend cannot be used here, or null when it looks usable. */
export function unavailableReason(name: BackendName): string | null {
  const pkg = backendPackages[name];
  const dir = packageDir(pkg);
  if (!dir) return `${pkg} is not installed (optional dependency skipped at install)`;
  if (name === 'tensorflow' || name === 'tensorflow-gpu') {
    if (!nativeBindingPresent(dir)) return `${pkg} is installed but libtensorflow is missing (its download failed at install)`;
    if (name === 'tensorflow-gpu' && process.platform !== 'linux') return 'the CUDA build of libtensorflow exists only for Linux';
    if (name === 'tensorflow-gpu' && !cudaLibrariesFound()) return 'CUDA 11.2 / cuDNN 8 libraries not found (libcudart.so.11.0, libcudnn.so.8)';
  }
  if (name === 'webgpu') {
    if (process.versions.electron) return "Dawn's Node binding cannot run in Electron; a desktop run asks its engine window for Chromium's WebGPU adapter when it starts (docs/engine.md)";
    if (!packageDir('webgpu')) return 'webgpu (Dawn for Node) is not installed (optional dependency skipped at install)';
    // The training process gets the launch environment (a loader shipped with chromium).
    const workerEnv = { ...process.env, ...vulkanLaunchEnvironment() };
    const noLoader = missingVulkanLoaderReason(workerEnv);
    if (noLoader) return noLoader;
  }
  if (name === 'wasm' && !existsSync(path.join(dir, 'dist', 'tfjs-backend-wasm.wasm'))) return `${pkg} is installed without its .wasm binaries`;
  return null;
}

/** What a look for a WebGPU adapter found (webgpuAdapter.ts), for the probe. */
export interface WebgpuProbe {
  description: GpuAdapterDescription | null;
  reason: string | null;
}

/** What the static checks and the adapter found say of each backend, as the automatic walk's input. */
function staticProbeResults(webgpu: WebgpuProbe | null, forced: BackendName | null): Record<BackendName, BackendProbeResult> {
  const results = {} as Record<BackendName, BackendProbeResult>;
  for (const name of backendOrder) {
    const why = unavailableReason(name);
    if (why !== null) results[name] = { usable: false, reason: why };
    else if (name !== 'webgpu') results[name] = { usable: true };
    else if (!webgpu) results[name] = { usable: false, reason: 'no WebGPU adapter looked for' };
    else if (!webgpu.description) results[name] = { usable: false, reason: webgpu.reason ?? 'no WebGPU adapter' };
    // a forced webgpu takes a software adapter too
    else if (webgpu.description.software && forced === 'webgpu') results[name] = { usable: true };
    else results[name] = { usable: true, adapter: { software: webgpu.description.software, description: webgpu.description.description || webgpu.description.device } };
  }
  return results;
}

/**
 * What a process would select (without loading anything): the request
 * (forced: a backend, source: who asked), else the automatic walk.
 * webgpu: the adapter found (null: not looked for, so webgpu counts as unavailable).
 */
export function probeBackends(forced: BackendName | null = null, webgpu: WebgpuProbe | null = null, source: BackendSource = forced ? 'config' : 'automatic'): BackendProbe {
  const results = staticProbeResults(webgpu, forced);
  const why = (name: BackendName): string | null => automaticExclusion(name, results[name]);
  const automatic = automaticBackend(results);
  const firstUsable: BackendName = automatic.kind === 'chosen' ? automatic.backend : 'cpu';
  const automaticReason = automatic.kind === 'chosen' ? automatic.reason : 'no backend looks usable';
  let selected: BackendName = firstUsable;
  let reason = automaticReason;
  if (forced) {
    if (results[forced].usable) {
      selected = forced;
      reason = `forced to ${forced} by ${backendSourceWords[source]}`;
    } else {
      reason = `forced ${forced} (by ${backendSourceWords[source]}) is unavailable (${why(forced)}); fell back to ${firstUsable}, ${automaticReason}`;
    }
  }
  const backends = backendOrder.map((name): BackendStatus => {
    const excluded = name === forced && results[name].usable ? null : why(name);
    return {
      name,
      packageName: backendPackages[name],
      installed: packageDir(backendPackages[name]) !== null,
      available: excluded === null,
      reason: name === selected ? `selected: ${reason}` : excluded ?? `available, but ${selected} ranks higher or was forced`,
      ...(name === 'webgpu' && webgpu?.description ? { adapter: webgpu.description } : {}),
    };
  });
  return { backends, selected, reason, results };
}
