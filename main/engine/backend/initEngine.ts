/**
 * Runtime backend loader for the training process: tries the backends best
 * first in the automatic order of shared/backendChoice.ts (tfjs-node-gpu,
 * webgpu on a hardware adapter, tfjs-node, wasm, cpu), keeps the first that
 * really initialises, and says in one line why every other one is not used.
 * The static probe (probe.ts) answers the same question without loading
 * anything; this module is what the trainer calls before building a model.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
// tfjs-core's node bundle registers no gradient functions; tfjs-layers' bundle
// registers all of tfjs-core's (tf.grads fails on 'Sum' etc. without it).
import '@tensorflow/tfjs-layers';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { BackendName } from '../../../shared/api';
import { automaticBackend, backendRequestFor, backendSourceWords, resolveBackendRequest, type BackendProbeResult, type BackendRequest, type BackendSource } from '../../../shared/backendChoice';
import { backendOrder, backendPackages, unavailableReason } from './probe';
import { registerWasmTrainingKernels } from './wasmTrainingKernels';
import { disableWasmThreads, enableWasmThreads, withCoresFor } from './wasmThreads';
import { findWebgpuAdapter } from './webgpuAdapter';
import { startWebgpuBackend } from './webgpuBackend';
import { registerWebgpuKernelFixes } from './webgpuKernelFixes';
import { formatAdapter, type GpuAdapterDescription } from '../../../shared/api/system';

const require = createRequire(import.meta.url);

export interface EngineInit {
  backend: BackendName;
  reason: string;
  /** who asked for it: the run's config, UMEDPT_BACKEND, the setting, or automatic selection */
  source: BackendSource;
  /** what each backend tried found (those not tried are absent): the input of the automatic walk */
  probes: Partial<Record<BackendName, BackendProbeResult>>;
  skipped: Array<{ name: BackendName; reason: string }>;
  /** the WebGPU adapter found (used when backend is webgpu) */
  adapter?: GpuAdapterDescription;
}

export interface InitEngineOptions {
  /** the process's resolved request (backendRequestFor: its config, UMEDPT_BACKEND, the setting); wins over forced */
  request?: BackendRequest;
  /** a backend to use; null = automatic; undefined = read the environment (UMEDPT_BACKEND, then the setting's variable) */
  forced?: BackendName | null;
  /** XNNPACK threads for wasm; default: every core (1 = the single-threaded build). See docs/engine.md. */
  threads?: number;
  /** backends this job cannot use, with the reason (never loaded; forced, they fall back like a backend that failed) */
  unsupported?: Partial<Record<BackendName, string>>;
}

/** Name tfjs registers each of our backends under. */
const tfjsBackendName: Record<BackendName, string> = {
  'tensorflow-gpu': 'tensorflow',
  webgpu: 'webgpu',
  tensorflow: 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
};

/** UMEDPT_BACKEND as a backend name; 'auto' or unset gives null. */
export function backendFromEnvironment(env: NodeJS.ProcessEnv = process.env): BackendName | null {
  return resolveBackendRequest({ environment: env.UMEDPT_BACKEND }).forced;
}

let wasmPathsSet = false;

/** Points the wasm backend at its .wasm files on disk (no fetch, works bundled or not). */
function configureWasmPaths(): void {
  if (wasmPathsSet) return;
  const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
  setWasmPaths(dist);
  wasmPathsSet = true;
}

/** Default XNNPACK threads: all cores, at most the 8 the wasm build allows. */
export function defaultWasmThreads(): number {
  return Math.max(1, Math.min(8, os.cpus().length));
}

function threadNote(): string {
  const n = getThreadsCount();
  return `${n} thread${n === 1 ? '' : 's'}`;
}

/** Starts wasm threaded when asked, falling back to the single-threaded build; returns a note for the reason. */
async function startWasm(threads: number): Promise<{ ok: boolean; note: string }> {
  if (tf.engine().registry.wasm) {
    // The thread count is fixed when the wasm module starts, once per process.
    const ok = await tf.setBackend('wasm');
    return { ok, note: `${threadNote()}, already started in this process` };
  }
  configureWasmPaths();
  if (threads > 1) {
    enableWasmThreads();
    setThreadsCount(threads);
    try {
      if (await withCoresFor(threads, () => tf.setBackend('wasm'))) return { ok: true, note: threadNote() };
    } catch {
      /* fall through to the single-threaded build */
    }
    // A failed start leaves the factory registered, so setBackend runs it again.
    disableWasmThreads();
    const ok = await tf.setBackend('wasm');
    return { ok, note: `${ok ? threadNote() : 'not started'} (the threaded build failed to start)` };
  }
  disableWasmThreads();
  const ok = await tf.setBackend('wasm');
  return { ok, note: ok ? threadNote() : 'not started' };
}

function message(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.message;
  if (typeof err === 'object' && err !== null && 'message' in err) return String((err as { message: unknown }).message);
  return String(err);
}

let wasmNote = '';
let webgpuAdapter: GpuAdapterDescription | undefined;

/** Loads one backend; returns null on success or the one-line reason it failed. */
async function tryBackend(name: BackendName, threads: number | undefined, forced: BackendName | null): Promise<string | null> {
  const staticReason = unavailableReason(name);
  if (staticReason) return staticReason;
  try {
    if (name === 'webgpu') {
      // A software adapter only when forced (docs/engine.md).
      const found = await findWebgpuAdapter({ allowSoftware: forced === 'webgpu' });
      webgpuAdapter = found.description ?? undefined;
      if (!found.adapter) return found.reason ?? 'no WebGPU adapter';
      if (!(await startWebgpuBackend(found.adapter))) return `${backendPackages.webgpu} failed to initialise on ${webgpuAdapter?.description ?? 'the adapter'}`;
      await tf.ready();
      registerWebgpuKernelFixes();
      return null;
    }
    if (name === 'tensorflow' || name === 'tensorflow-gpu') {
      // A variable specifier keeps bundlers and tsc from resolving an optional package.
      const specifier = backendPackages[name];
      await import(/* @vite-ignore */ specifier);
      if (!tf.findBackendFactory('tensorflow')) {
        return `${specifier} loaded but registered no 'tensorflow' backend in this tfjs-core (version mismatch: it must share @tensorflow/tfjs-core ${tf.version_core})`;
      }
    }
    let ok: boolean;
    if (name === 'wasm') {
      const started = await startWasm(threads ?? defaultWasmThreads());
      ok = started.ok;
      wasmNote = started.note;
    } else {
      ok = await tf.setBackend(tfjsBackendName[name]);
    }
    if (!ok) return `${backendPackages[name]} failed to initialise`;
    await tf.ready();
    if (name === 'wasm') registerWasmTrainingKernels();
    return null;
  } catch (err) {
    return `${backendPackages[name]} failed to load: ${message(err)}`;
  }
}

/**
 * Selects and initialises the engine backend. A forced backend that fails
 * falls back to the automatic order (shared/backendChoice.ts), and the reason says so.
 */
export async function initEngine(options: InitEngineOptions = {}): Promise<EngineInit> {
  const request: BackendRequest =
    options.request ?? (options.forced === undefined ? backendRequestFor(null, process.env) : { forced: options.forced, source: options.forced ? 'config' : 'automatic' });
  const forced = request.forced;
  const probes: Partial<Record<BackendName, BackendProbeResult>> = {};
  const failures = new Map<BackendName, string>();
  for (const [name, why] of Object.entries(options.unsupported ?? {}) as Array<[BackendName, string]>) {
    probes[name] = { usable: false, reason: why };
    failures.set(name, why);
  }
  const attempt = async (name: BackendName): Promise<boolean> => {
    if (probes[name]) return probes[name].usable;
    const why = await tryBackend(name, options.threads, forced);
    if (why !== null) failures.set(name, why);
    probes[name] =
      why !== null
        ? { usable: false, reason: why }
        : { usable: true, ...(name === 'webgpu' ? { adapter: webgpuAdapter ? { software: webgpuAdapter.software, description: webgpuAdapter.description || webgpuAdapter.device } : null } : {}) };
    return why === null;
  };

  let chosen: BackendName | null = null;
  let reason = '';
  if (forced) {
    if (await attempt(forced)) {
      chosen = forced;
      reason = `forced to ${forced} by ${backendSourceWords[request.source]}`;
    }
  }
  if (!chosen) {
    // lazily, best first: the pure walk names the next backend to probe until one is chosen
    for (;;) {
      const step = automaticBackend(probes);
      if (step.kind === 'probe') {
        await attempt(step.backend);
        continue;
      }
      if (step.kind === 'none') throw new Error(`no engine backend could be loaded: ${step.reasons.map((r) => `${r.name}: ${r.reason}`).join('; ')}`);
      chosen = step.backend;
      reason = forced ? `forced ${forced} (by ${backendSourceWords[request.source]}) is unavailable (${failures.get(forced)}); fell back to ${chosen}, ${step.reason}` : step.reason;
      break;
    }
  }
  const selected = chosen;
  if (selected === 'wasm') reason += ` (wasm: ${wasmNote})`;
  if (selected === 'webgpu' && webgpuAdapter) reason += ` (adapter: ${formatAdapter(webgpuAdapter)})`;
  const skipped = backendOrder
    .filter((name) => name !== selected)
    .map((name) => {
      const failed = failures.get(name);
      if (failed) return { name, reason: failed };
      const why = backendOrder.indexOf(name) > backendOrder.indexOf(selected) ? `${selected} ranks higher` : `${selected} was forced`;
      const staticReason = unavailableReason(name);
      return { name, reason: staticReason ? `${staticReason} (not tried: ${why})` : `not tried: ${why}` };
    });
  return { backend: selected, reason, source: request.source, probes, skipped, ...(webgpuAdapter ? { adapter: webgpuAdapter } : {}) };
}
