/**
 * Multi-threaded wasm in plain Node / Electron's utility process.
 *
 * tfjs-backend-wasm ships an emscripten pthread build (XNNPACK with a
 * pthreadpool) but never uses it in Node: its WASM_HAS_MULTITHREAD_SUPPORT
 * flag is hard-wired to false there, and its loader hands emscripten blob:
 * URLs (for the worker script and the main script) that Node's
 * worker_threads cannot open. The glue itself is Node-aware otherwise
 * (Atomics.wait on the main thread is allowed in Node). So we:
 *  1. set the flag to true,
 *  2. give emscripten a global `Worker` that is a worker_threads Worker
 *     evaluating the package's own pthread worker script, and that rewrites
 *     the 'load' message's blob to the on-disk glue file the blob was made of,
 *  3. let the C++ side see enough cores: it caps threads at
 *     os.cpus().length / 2 (it assumes hyper-threading), which is 1 on a
 *     2-core machine, so os.cpus is widened only while the backend starts.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Worker as NodeWorker, type TransferListItem } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';

const require = createRequire(import.meta.url);

function wasmOutDir(): string {
  return path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
}

let installed = false;

/** Installs the Worker shim (idempotent) and turns the threaded build on. */
export function enableWasmThreads(): void {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  if (installed) return;
  const dir = wasmOutDir();
  const { wasmWorkerContents } = require(path.join(dir, 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
  // The package escapes newlines the same way before making its blob: string
  // literals in the script contain "\n" escapes that must stay escapes.
  const workerScript = wasmWorkerContents.replace(/\n/g, '\\n');
  const gluePath = path.join(dir, 'tfjs-backend-wasm-threaded-simd.js');

  class PthreadWorker extends NodeWorker {
    constructor() {
      super(workerScript, { eval: true });
      // Idle pool threads must not keep the process alive.
      this.unref();
    }

    override postMessage(message: unknown, transfer?: readonly TransferListItem[]): void {
      const msg = message as { cmd?: string } | null;
      super.postMessage(msg && msg.cmd === 'load' ? { ...msg, urlOrBlob: gluePath } : message, transfer);
    }
  }

  // The glue assigns global.Worker = worker_threads.Worker (which cannot load
  // its blob: URL); the no-op setter keeps the shim in place.
  Object.defineProperty(globalThis, 'Worker', { configurable: true, get: () => PthreadWorker, set: () => undefined });
  installed = true;
}

/** Turns the threaded build off again (for the next backend start). */
export function disableWasmThreads(): void {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
}

/** Runs `start` while os.cpus() reports at least 2·threads cores. */
export async function withCoresFor<T>(threads: number, start: () => Promise<T>): Promise<T> {
  const real = os.cpus;
  const cpus = real();
  if (cpus.length >= 2 * threads || cpus.length === 0) return start();
  os.cpus = () => Array.from({ length: 2 * threads }, (_, i) => cpus[i % cpus.length]!);
  try {
    return await start();
  } finally {
    os.cpus = real;
  }
}
