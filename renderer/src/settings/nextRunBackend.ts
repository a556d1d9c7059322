/**
 * The backend the next run will use and why, as the System page and the
 * status bar show it. Outside the desktop app that is system/info's answer.
 * In the desktop app a run's webgpu is Chromium's, in its engine window, and
 * only a Chromium page can see that adapter: this page asks navigator.gpu
 * (the same Chromium, the same switches) and walks the same automatic order
 * as the run (shared/backendChoice.ts), over system/info's probes.
 */
import type { BackendName, SystemInfo } from '../../../shared/api';
import { automaticExclusion, automaticWithChromiumAdapter, backendSourceWords, engineWindowDecides, softwareAdapterPattern } from '../../../shared/backendChoice';

export interface ChromiumAdapter {
  software: boolean;
  description: string;
}

/** what navigator.gpu offered: an adapter, or none and why */
export interface ChromiumAdapterCheck {
  adapter: ChromiumAdapter | null;
  reason: string;
}

export interface NextRunBackend {
  backend: BackendName;
  reason: string;
  /** the engine window's adapter decides and Chromium's has not been looked at yet */
  pending: boolean;
}

type NextRunInfo = Pick<SystemInfo, 'selectedBackend' | 'selectionReason' | 'forcedBackend' | 'forcedBy' | 'probes' | 'webgpuVia'>;

function inEngineWindow(adapter: ChromiumAdapter): string {
  return `Chromium's WebGPU in the engine window (adapter: ${adapter.description || 'unnamed'}, ${adapter.software ? 'software' : 'hardware'})`;
}

/** chromium: null while not looked at (or not needed) */
export function nextRunBackend(info: NextRunInfo, chromium: ChromiumAdapterCheck | null): NextRunBackend {
  const plain: NextRunBackend = { backend: info.selectedBackend, reason: info.selectionReason, pending: false };
  if (info.webgpuVia !== 'engine-window') return plain;
  if (info.forcedBackend === 'webgpu') {
    const by = backendSourceWords[info.forcedBy ?? 'automatic'];
    if (!chromium) return { backend: 'webgpu', reason: `forced to webgpu by ${by}; Chromium's WebGPU in the engine window (looking for its adapter…)`, pending: true };
    if (chromium.adapter) return { backend: 'webgpu', reason: `forced to webgpu by ${by}; ${inEngineWindow(chromium.adapter)}`, pending: false };
    return { ...plain, reason: `forced webgpu (by ${by}) has no adapter in Chromium (${chromium.reason}); the run falls back to ${info.selectedBackend}` };
  }
  // a forced backend that loads is used; one that does not falls back to the automatic order, as a run does
  if (info.forcedBackend !== null && info.selectedBackend === info.forcedBackend) return plain;
  if (!engineWindowDecides(info.probes)) return plain;
  if (!chromium) return { ...plain, reason: `${plain.reason}; webgpu: looking for Chromium's adapter…`, pending: true };
  const step = automaticWithChromiumAdapter(info.probes, chromium.adapter, chromium.reason);
  if (step.kind === 'chosen' && step.backend === 'webgpu' && chromium.adapter) return { backend: 'webgpu', reason: `${step.reason}; ${inEngineWindow(chromium.adapter)}`, pending: false };
  const why = chromium.adapter ? automaticExclusion('webgpu', { usable: true, adapter: chromium.adapter }) : chromium.reason;
  return { ...plain, reason: `${plain.reason}; webgpu in the engine window not used: ${why}` };
}

/** The part of WebGPU's navigator.gpu read here (the DOM lib of this TypeScript has no WebGPU types). */
export interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<{
    info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
    isFallbackAdapter?: boolean;
  } | null>;
}

/** Asks this page's Chromium for a WebGPU adapter, as the engine page does (high performance), and says whether it is a software one. */
export async function lookUpChromiumAdapter(gpu: GpuLike | undefined): Promise<ChromiumAdapterCheck> {
  if (!gpu) return { adapter: null, reason: 'navigator.gpu is missing (WebGPU is off in this Chromium)' };
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { adapter: null, reason: 'Chromium offers no WebGPU adapter' };
    const info = adapter.info ?? {};
    const description = [info.vendor, info.architecture, info.description || info.device].filter(Boolean).join(' ');
    const software = Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter) || softwareAdapterPattern.test(`${info.description ?? ''} ${info.architecture ?? ''} ${info.device ?? ''}`);
    return { adapter: { software, description }, reason: '' };
  } catch (error) {
    return { adapter: null, reason: `requesting a WebGPU adapter failed: ${(error as Error).message}` };
  }
}
