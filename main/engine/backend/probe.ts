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
    if (process.versions.electron) return "Dawn's Node binding cannot run in Electron, and the desktop app does not yet train in a Chromium WebGPU window (docs/engine.md)";
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

/** Why webgpu would not be used given the adapter found: none, or only a software one that is not forced. */
function webgpuReason(found: WebgpuProbe, forced: BackendName | null): string | null {
  if (!found.description) return found.reason ?? 'no WebGPU adapter';
  if (found.description.software && forced !== 'webgpu') {
    return `only a fallback adapter (${found.description.description || found.description.device}); a software adapter is used only when webgpu is forced`;
  }
  return null;
}

/** webgpu: the adapter found (null: not looked for; the static checks alone decide). */
export function probeBackends(forced: BackendName | null = null, webgpu: WebgpuProbe | null = null): BackendProbe {
  const reasons = new Map(backendOrder.map((b) => [b, unavailableReason(b)] as const));
  if (webgpu && reasons.get('webgpu') === null) reasons.set('webgpu', webgpuReason(webgpu, forced));
  const firstUsable = backendOrder.find((b) => reasons.get(b) === null) ?? 'cpu';
  let selected: BackendName = firstUsable;
  let reason = `first available in order ${backendOrder.join(' > ')}`;
  if (forced) {
    if (reasons.get(forced) === null) {
      selected = forced;
      reason = `forced to ${forced}`;
    } else {
      reason = `forced ${forced} is unavailable (${reasons.get(forced)}); fell back to ${firstUsable}`;
    }
  }
  const backends = backendOrder.map((name): BackendStatus => {
    const why = reasons.get(name) ?? null;
    return {
      name,
      packageName: backendPackages[name],
      installed: packageDir(backendPackages[name]) !== null,
      available: why === null,
      reason: name === selected ? `selected: ${reason}` : why ?? `available, but ${selected} ranks higher or was forced`,
      ...(name === 'webgpu' && webgpu?.description ? { adapter: webgpu.description } : {}),
    };
  });
  return { backends, selected, reason };
}
