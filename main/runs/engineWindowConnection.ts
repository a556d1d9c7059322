/**
 * A training process in the desktop app asks main for an engine window
 * (main/electron/engineWindowHost.ts) and gets a MessagePort to it: the run
 * then trains on Chromium's WebGPU, where Dawn's Node binding cannot run.
 * Only in an Electron utility process (process.parentPort carries ports).
 */
import { EngineWindowClient, type ProcessPortLike } from '../engine/browser/engineWindowClient';
import { engineWindowControlSchema, engineWindowPortRequest } from '../engine/browser/engineWindowProtocol';

/** process.parentPort of an Electron utility process, with the ports a message carries */
export interface ParentPortWithPorts {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown; ports?: readonly ProcessPortLike[] }) => void): unknown;
  off?(event: 'message', listener: (event: { data: unknown; ports?: readonly ProcessPortLike[] }) => void): unknown;
}

/** true where a run that forces webgpu must use an engine window: inside Electron */
export function needsEngineWindow(backend: string, env: NodeJS.ProcessEnv = process.env, versions: NodeJS.ProcessVersions = process.versions): boolean {
  const forced = backend === 'auto' ? env.UMEDPT_BACKEND : backend;
  return forced === 'webgpu' && Boolean(versions.electron);
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
