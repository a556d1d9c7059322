/**
 * A training process in the desktop app asks main for an engine window
 * (main/electron/engineWindowHost.ts) and gets a MessagePort to it: the run
 * then trains on Chromium's WebGPU, where Dawn's Node binding cannot run:
 * when webgpu is forced, and when automatic selection reaches webgpu and the
 * window's adapter is a hardware one (shared/backendChoice.ts).
 * Only in an Electron utility process (process.parentPort carries ports).
 */
import { EngineWindowClient, type ProcessPortLike } from '../engine/browser/engineWindowClient';
import { engineWindowControlSchema, engineWindowPortRequest, engineWindowRelease, type EngineAdapter } from '../engine/browser/engineWindowProtocol';
import type { EngineInit } from '../engine/backend/initEngine';
import { automaticExclusion, automaticWithChromiumAdapter, backendSourceWords, engineWindowDecides, type BackendRequest } from '../../shared/backendChoice';

/** process.parentPort of an Electron utility process, with the ports a message carries */
export interface ParentPortWithPorts {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown; ports?: readonly ProcessPortLike[] }) => void): unknown;
  off?(event: 'message', listener: (event: { data: unknown; ports?: readonly ProcessPortLike[] }) => void): unknown;
}

/** What the local engine chose and found: initEngine's answer. */
type LocalEngine = Pick<EngineInit, 'backend' | 'reason' | 'probes'>;

/**
 * Whether a run asks for an engine window, inside Electron only: 'forced'
 * when webgpu was asked for; 'automatic' when selection is automatic (nothing
 * forced, or a forced backend that did not load) and the automatic order
 * reaches webgpu, i.e. everything ranked above it (tensorflow-gpu) failed.
 */
export function engineWindowUse(request: BackendRequest, engine: LocalEngine, versions: NodeJS.ProcessVersions = process.versions): 'forced' | 'automatic' | null {
  if (!versions.electron) return null;
  if (request.forced === 'webgpu') return 'forced';
  if (request.forced !== null && engine.backend === request.forced) return null;
  return engineWindowDecides(engine.probes) ? 'automatic' : null;
}

/** The engine a run trains on once the engine window (if any) has answered, and the window when it is used. */
export interface EngineWithWindow<E extends LocalEngine> {
  engine: E;
  window: EngineWindowClient | null;
  /** one line for the run's log, and whether it warns */
  note: { level: 'info' | 'warn'; message: string } | null;
}

function describeWindowAdapter(adapter: EngineAdapter): string {
  return `Chromium's WebGPU in the engine window (adapter: ${adapter.vendor} ${adapter.architecture}${adapter.description ? ` ${adapter.description}` : ''}, ${adapter.software ? 'software' : 'hardware'})`;
}

/**
 * The desktop app's half of backend selection: asks for the engine window
 * where engineWindowUse says so, and decides with the automatic order over the
 * local probes plus the window's adapter (webgpu only on a hardware adapter).
 */
export async function attachEngineWindow<E extends LocalEngine>(
  request: BackendRequest,
  engine: E,
  options: { versions?: NodeJS.ProcessVersions; connect?: () => Promise<EngineWindowClient>; release?: () => void } = {},
): Promise<EngineWithWindow<E>> {
  const use = engineWindowUse(request, engine, options.versions);
  if (!use) return { engine, window: null, note: null };
  let window: EngineWindowClient | null = null;
  // a window not used is closed by main at once, not kept hidden until the process ends
  const letGo = (): void => {
    window?.close();
    if (window) (options.release ?? releaseEngineWindow)();
  };
  try {
    window = await (options.connect ?? connectEngineWindow)();
    const { adapter } = await window.start();
    if (use === 'forced') {
      return { engine: { ...engine, backend: 'webgpu', reason: `forced to webgpu by ${backendSourceWords[request.source]}; ${describeWindowAdapter(adapter)}` }, window, note: null };
    }
    const step = automaticWithChromiumAdapter(engine.probes, adapter);
    if (step.kind === 'chosen' && step.backend === 'webgpu') return { engine: { ...engine, backend: 'webgpu', reason: `${step.reason}; ${describeWindowAdapter(adapter)}` }, window, note: null };
    letGo();
    const why = automaticExclusion('webgpu', { usable: true, adapter }) ?? `${engine.backend} ranks higher`;
    return { engine: { ...engine, reason: `${engine.reason}; webgpu in the engine window not used: ${why}` }, window: null, note: { level: 'info', message: `webgpu in the engine window not used: ${why}` } };
  } catch (error) {
    letGo();
    const message = (error as Error).message;
    if (use === 'forced') return { engine, window: null, note: { level: 'warn', message: `webgpu was forced, but ${message}; training on ${engine.backend}` } };
    return { engine: { ...engine, reason: `${engine.reason}; webgpu not checked: ${message}` }, window: null, note: { level: 'info', message: `automatic selection could not check webgpu: ${message}; training on ${engine.backend}` } };
  }
}

/** Tells main this process will not use its engine window. */
export function releaseEngineWindow(parentPort: ParentPortWithPorts | undefined = (process as unknown as { parentPort?: ParentPortWithPorts }).parentPort): void {
  parentPort?.postMessage(engineWindowRelease);
}

export function connectEngineWindow(
  parentPort: ParentPortWithPorts | undefined = (process as unknown as { parentPort?: ParentPortWithPorts }).parentPort,
  options: { timeoutMs?: number } = {},
): Promise<EngineWindowClient> {
  if (!parentPort) return Promise.reject(new Error('no engine window: this process was not started by the desktop app'));
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      parentPort.off?.('message', listener);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no engine window: the app did not answer within ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    const listener = (event: { data: unknown; ports?: readonly ProcessPortLike[] }): void => {
      const parsed = engineWindowControlSchema.safeParse(event.data);
      if (!parsed.success) return;
      const port = event.ports?.[0];
      if (parsed.data.type === 'engine-window/port' && port) {
        done();
        resolve(new EngineWindowClient(port));
      } else if (parsed.data.type === 'engine-window/unavailable') {
        done();
        reject(new Error(`no engine window: ${parsed.data.reason}`));
      }
    };
    parentPort.on('message', listener);
    parentPort.postMessage(engineWindowPortRequest);
  });
}
