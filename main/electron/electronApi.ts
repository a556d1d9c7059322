/**
 * The slice of Electron's API this transport uses, written as our own
 * interfaces. The wiring functions take these as parameters, so they run
 * against the real module in the app and against thin fakes in unit tests
 * (the Electron binary cannot be installed on the build machines), and the
 * code typechecks without the optional `electron` package.
 * Shapes follow Electron 38's documented API.
 */

export interface PreventableEvent {
  preventDefault(): void;
}

export interface WebFrameLike {
  /** URL of the frame that sent an IPC message */
  readonly url: string;
}

export interface IpcMainInvokeEventLike {
  /** null when the frame navigated away or was destroyed before the handler ran */
  readonly senderFrame: WebFrameLike | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
  removeAllListeners(channel: string): unknown;
}

export interface IpcRendererEventLike {
  /** the IpcRenderer itself: must never reach page code */
  readonly sender: unknown;
  /** MessagePorts main sent with webContents.postMessage */
  readonly ports?: readonly unknown[];
}

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: IpcRendererEventLike, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcRendererEventLike, ...args: unknown[]) => void): unknown;
}

export interface ContextBridgeLike {
  exposeInMainWorld(apiKey: string, api: unknown): void;
}

export type WindowOpenDecision = { action: 'deny' } | { action: 'allow' };

export interface WebContentsLike {
  on(event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'render-process-gone', listener: (event: unknown, details: { reason: string }) => void): unknown;
  on(event: 'did-fail-load', listener: (event: unknown, errorCode: number, errorDescription: string) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => WindowOpenDecision): void;
  send(channel: string, ...args: unknown[]): void;
  /** a message with MessagePortMain objects transferred to the page's preload */
  postMessage(channel: string, message: unknown, transfer?: MessagePortMainLike[]): void;
  isDestroyed(): boolean;
}

/** Electron's MessagePortMain: one end of a MessageChannelMain, in main or a utility process */
export interface MessagePortMainLike {
  postMessage(message: unknown, transfer?: MessagePortMainLike[]): void;
  on(event: 'message', listener: (event: { data: unknown; ports: MessagePortMainLike[] }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  start(): void;
  close(): void;
}

export type MessageChannelMainConstructorLike = new () => { readonly port1: MessagePortMainLike; readonly port2: MessagePortMainLike };

export interface WebPreferencesLike {
  preload: string;
  contextIsolation: boolean;
  sandbox: boolean;
  nodeIntegration: boolean;
  nodeIntegrationInWorker: boolean;
  nodeIntegrationInSubFrames: boolean;
  webSecurity: boolean;
  allowRunningInsecureContent: boolean;
  webviewTag: boolean;
  navigateOnDragDrop: boolean;
  spellcheck: boolean;
  /** false keeps a hidden window's timers and rendering at full speed (the engine window) */
  backgroundThrottling?: boolean;
}

export interface BrowserWindowOptionsLike {
  width: number;
  height: number;
  minWidth?: number;
  minHeight?: number;
  title: string;
  show: boolean;
  backgroundColor?: string;
  skipTaskbar?: boolean;
  focusable?: boolean;
  icon?: string;
  webPreferences: WebPreferencesLike;
}

export interface BrowserWindowLike {
  readonly webContents: WebContentsLike;
  loadURL(url: string): Promise<void>;
  once(event: 'ready-to-show', listener: () => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
  show(): void;
  close(): void;
  focus(): void;
  isDestroyed(): boolean;
}

export type BrowserWindowConstructorLike = new (options: BrowserWindowOptionsLike) => BrowserWindowLike;

/** Web-standard request/response, as Electron's protocol.handle uses them. */
export type ProtocolHandler = (request: Request) => Response | Promise<Response>;

export interface CustomSchemeLike {
  scheme: string;
  privileges: {
    standard?: boolean;
    secure?: boolean;
    supportFetchAPI?: boolean;
    corsEnabled?: boolean;
    stream?: boolean;
    bypassCSP?: boolean;
    allowServiceWorkers?: boolean;
    codeCache?: boolean;
  };
}

export interface ProtocolLike {
  registerSchemesAsPrivileged(schemes: CustomSchemeLike[]): void;
  handle(scheme: string, handler: ProtocolHandler): void;
}

export interface SessionLike {
  setPermissionRequestHandler(handler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null): void;
  setPermissionCheckHandler(handler: ((webContents: unknown, permission: string) => boolean) | null): void;
}

export interface AppLike {
  /** Chromium switches, set before ready (optional in fakes that never need one) */
  readonly commandLine?: { appendSwitch(name: string, value?: string): void };
  whenReady(): Promise<void>;
  enableSandbox(): void;
  requestSingleInstanceLock(): boolean;
  getAppPath(): string;
  getVersion(): string;
  quit(): void;
  exit(code?: number): void;
  on(event: 'window-all-closed' | 'activate' | 'second-instance', listener: () => void): unknown;
  on(event: 'before-quit', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'web-contents-created', listener: (event: unknown, contents: WebContentsLike) => void): unknown;
}

export interface ShellLike {
  openExternal(url: string): Promise<void>;
}

export interface SaveDialogOptionsLike {
  title?: string;
  defaultPath?: string;
  filters?: Array<{ name: string; extensions: string[] }>;
}

export interface DialogLike {
  showErrorBox(title: string, content: string): void;
  showSaveDialog(window: BrowserWindowLike, options: SaveDialogOptionsLike): Promise<{ canceled: boolean; filePath?: string }>;
}

/** Electron's utilityProcess child: a Node process started by Chromium's service launcher. */
export interface UtilityProcessChildLike {
  readonly pid: number | undefined;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  postMessage(message: unknown, transfer?: MessagePortMainLike[]): void;
  kill(): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  once(event: 'exit', listener: (code: number) => void): unknown;
}

export interface UtilityProcessLike {
  fork(
    modulePath: string,
    args?: string[],
    options?: { env?: NodeJS.ProcessEnv; stdio?: 'pipe' | 'ignore' | 'inherit'; serviceName?: string },
  ): UtilityProcessChildLike;
}
