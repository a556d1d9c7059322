/**
 * The desktop app's engine windows: where a training process trains on
 * Chromium's WebGPU (Dawn's Node binding cannot run in Electron processes).
 * A training process that wants one asks main over its parent channel
 * (engine-window/request-port); main opens a hidden, locked-down window on
 * the app's own bundled engine page, and once the page has loaded hands one
 * end of a MessageChannelMain to the page (through its preload) and the other
 * to the training process. From then on the two talk directly (protocol:
 * main/engine/browser/engineWindowProtocol.ts); main only closes the window
 * when the process exits, and tells the process when the window is gone.
 * One window per training process: a run's model lives in its own page.
 */
import { engineWindowPath, engineWindowPortChannel } from '../engine/browser/engineWindowChannels';
import type { EngineWindowControl } from '../engine/browser/engineWindowProtocol';
import { appOrigin } from './appOrigin';
import type { AppLike, BrowserWindowConstructorLike, BrowserWindowLike, BrowserWindowOptionsLike, MessageChannelMainConstructorLike, UtilityProcessChildLike } from './electronApi';
import { lockDownWebContents, type NavigationGuardOptions } from './navigationGuards';
import { hardenedWebPreferences } from './windowOptions';

export const engineWindowUrl = `${appOrigin}/${engineWindowPath}`;

/**
 * The engine window's options: never shown, no Node (isolated preload,
 * Chromium sandbox, no nodeIntegration anywhere, web security on), and not
 * throttled while hidden: it computes, it never paints.
 */
export function engineWindowOptions(preloadPath: string): BrowserWindowOptionsLike {
  return {
    width: 320,
    height: 240,
    title: 'UMedPT Studio engine',
    show: false,
    skipTaskbar: true,
    focusable: false,
    // a hidden window must not be throttled: it runs the training steps
    webPreferences: { ...hardenedWebPreferences(preloadPath), backgroundThrottling: false },
  };
}

/**
 * Chromium's WebGPU in Electron: on by default on macOS and Windows; on Linux
 * still behind --enable-unsafe-webgpu and the Vulkan feature. Before app ready.
 */
export function enableChromiumWebgpu(app: AppLike, platform: NodeJS.Platform = process.platform): string[] {
  if (platform !== 'linux' || !app.commandLine) return [];
  app.commandLine.appendSwitch('enable-unsafe-webgpu');
  app.commandLine.appendSwitch('enable-features', 'Vulkan');
  return ['enable-unsafe-webgpu', 'enable-features=Vulkan'];
}

export interface EngineWindowHostOptions extends NavigationGuardOptions {
  /** dist/electron/enginePreload.cjs */
  preloadPath: string;
  log?: (message: string) => void;
}

export interface EngineWindowHost {
  /** answers a training process's request for a port (opens its window) */
  serve(child: UtilityProcessChildLike): void;
  /** the process will not use its window (automatic selection passed over its adapter): closed, nothing told */
  release(child: UtilityProcessChildLike): void;
  /** the windows open now, one per training process */
  readonly openWindows: number;
  closeAll(): void;
}

function tell(child: UtilityProcessChildLike, message: EngineWindowControl, transfer?: Parameters<UtilityProcessChildLike['postMessage']>[1]): void {
  try {
    child.postMessage(message, transfer);
  } catch {
    // the process is gone: nothing to tell
  }
}

export function createEngineWindowHost(electron: { BrowserWindow: BrowserWindowConstructorLike; MessageChannelMain: MessageChannelMainConstructorLike }, options: EngineWindowHostOptions): EngineWindowHost {
  const windows = new Map<UtilityProcessChildLike, BrowserWindowLike>();
  const log = options.log ?? (() => undefined);

  const close = (child: UtilityProcessChildLike): void => {
    const window = windows.get(child);
    if (!window) return;
    windows.delete(child);
    if (!window.isDestroyed()) window.close();
  };

  return {
    serve(child) {
      if (windows.has(child)) {
        tell(child, { type: 'engine-window/unavailable', reason: 'this process already has an engine window' });
        return;
      }
      const window = new electron.BrowserWindow(engineWindowOptions(options.preloadPath));
      windows.set(child, window);
      lockDownWebContents(window.webContents, options);
      let exited = false;
      const lost = (reason: string): void => {
        if (!windows.has(child)) return;
        log(`engine window closed: ${reason}`);
        close(child);
        if (!exited) tell(child, { type: 'engine-window/unavailable', reason: `the engine window closed: ${reason}` });
      };
      child.once('exit', () => {
        exited = true;
        close(child);
      });
      window.on('closed', () => lost('the window was closed'));
      window.webContents.on('render-process-gone', (_event, details) => lost(`its page crashed (${details.reason})`));
      window.loadURL(engineWindowUrl).then(
        () => {
          if (exited || !windows.has(child)) return;
          const { port1, port2 } = new electron.MessageChannelMain();
          window.webContents.postMessage(engineWindowPortChannel, null, [port1]);
          tell(child, { type: 'engine-window/port' }, [port2]);
          log('engine window ready, port handed to the training process');
        },
        (error: unknown) => {
          const reason = `the engine page did not load (${error instanceof Error ? error.message : String(error)})`;
          log(reason);
          close(child);
          if (!exited) tell(child, { type: 'engine-window/unavailable', reason });
        },
      );
    },
    release(child) {
      if (windows.has(child)) log('engine window released by its training process');
      close(child);
    },
    get openWindows() {
      return windows.size;
    },
    closeAll() {
      for (const child of [...windows.keys()]) close(child);
    },
  };
}
