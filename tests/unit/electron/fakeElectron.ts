/**
 * Thin recording fakes of the Electron API slice in main/electron/electronApi.ts.
 * Only for these unit tests: the Electron binary cannot run on the build
 * machines. They record what the wiring registers and let a test fire the
 * events Electron would fire.
 */
import type {
  AppLike,
  BrowserWindowLike,
  BrowserWindowOptionsLike,
  ContextBridgeLike,
  CustomSchemeLike,
  DialogLike,
  IpcMainInvokeEventLike,
  IpcMainLike,
  IpcRendererEventLike,
  IpcRendererLike,
  MessagePortMainLike,
  PreventableEvent,
  SaveDialogOptionsLike,
  ProtocolHandler,
  ProtocolLike,
  SessionLike,
  UtilityProcessChildLike,
  UtilityProcessLike,
  WebContentsLike,
  WindowOpenDecision,
} from '../../../main/electron/electronApi';

import { PassThrough } from 'node:stream';
import { MessageChannel as NodeMessageChannel, type MessagePort as NodeMessagePort } from 'node:worker_threads';

type AnyListener = (...args: never[]) => unknown;

class Emitter {
  readonly listeners = new Map<string, AnyListener[]>();
  on(event: string, listener: AnyListener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: AnyListener): this {
    return this.on(event, listener);
  }
  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: unknown[]) => unknown)(...args);
  }
  count(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

export function preventable(): PreventableEvent & { prevented: boolean } {
  const event = {
    prevented: false,
    preventDefault() {
      event.prevented = true;
    },
  };
  return event;
}

export class FakeWebContents extends Emitter implements WebContentsLike {
  windowOpenHandler: ((details: { url: string }) => WindowOpenDecision) | null = null;
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];
  readonly postedMessages: Array<{ channel: string; message: unknown; transfer: MessagePortMainLike[] }> = [];
  destroyed = false;
  setWindowOpenHandler(handler: (details: { url: string }) => WindowOpenDecision): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  postMessage(channel: string, message: unknown, transfer: MessagePortMainLike[] = []): void {
    this.postedMessages.push({ channel, message, transfer });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class FakeBrowserWindow extends Emitter implements BrowserWindowLike {
  static created: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loadedUrls: string[] = [];
  shown = false;
  focused = 0;
  closed = false;
  /** what loadURL answers (a test makes it fail) */
  loadResult: () => Promise<void> = () => Promise.resolve();
  constructor(readonly options: BrowserWindowOptionsLike) {
    super();
    FakeBrowserWindow.created.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrls.push(url);
    return this.loadResult();
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {
    this.focused++;
  }
  isDestroyed(): boolean {
    return this.closed;
  }
}

/**
 * MessageChannelMain's two entangled ports, carried over Node's own
 * MessageChannel (structured clone, asynchronous delivery, close seen on
 * both ends), in MessagePortMain's shape: on('message', { data, ports }).
 */
export class FakeMessagePortMain implements MessagePortMainLike {
  readonly events = new Emitter();
  constructor(private readonly port: NodeMessagePort) {
    port.on('message', (data: unknown) => this.events.emit('message', { data, ports: [] }));
    port.on('close', () => this.events.emit('close'));
  }
  postMessage(message: unknown): void {
    this.port.postMessage(message);
  }
  on(event: 'message', listener: (event: { data: unknown; ports: MessagePortMainLike[] }) => void): this;
  on(event: 'close', listener: () => void): this;
  on(event: 'message' | 'close', listener: (...args: never[]) => unknown): this {
    this.events.on(event, listener);
    return this;
  }
  start(): void {
    this.port.start();
  }
  close(): void {
    this.port.close();
  }
  /** the raw Node port, for a test that plays the page's end */
  get nodePort(): NodeMessagePort {
    return this.port;
  }
}

export class FakeMessageChannelMain {
  static created: FakeMessageChannelMain[] = [];
  readonly port1: FakeMessagePortMain;
  readonly port2: FakeMessagePortMain;
  constructor() {
    const channel = new NodeMessageChannel();
    this.port1 = new FakeMessagePortMain(channel.port1);
    this.port2 = new FakeMessagePortMain(channel.port2);
    FakeMessageChannelMain.created.push(this);
  }
}

export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: IpcMainInvokeEventLike, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: IpcMainInvokeEventLike, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  readonly removedListeners: string[] = [];
  removeAllListeners(channel: string): this {
    this.removedListeners.push(channel);
    return this;
  }
  /** What ipcRenderer.invoke from a frame at senderUrl would get. */
  async invoke(channel: string, senderUrl: string | null, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler({ senderFrame: senderUrl === null ? null : { url: senderUrl } }, ...args);
  }
}

export class FakeIpcRenderer extends Emitter implements IpcRendererLike {
  readonly invoked: Array<{ channel: string; args: unknown[] }> = [];
  reply: unknown = { ok: true, value: null };
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    return Promise.resolve(this.reply);
  }
  removeListener(channel: string, listener: (event: IpcRendererEventLike, ...args: unknown[]) => void): this {
    this.listeners.set(
      channel,
      (this.listeners.get(channel) ?? []).filter((l) => l !== listener),
    );
    return this;
  }
  /** Main sending on a channel: listeners get (event whose sender is this ipcRenderer, ...args). */
  deliver(channel: string, ...args: unknown[]): void {
    this.emit(channel, { sender: this } satisfies IpcRendererEventLike, ...args);
  }
}

export class FakeContextBridge implements ContextBridgeLike {
  readonly exposed: Array<{ key: string; api: unknown }> = [];
  exposeInMainWorld(apiKey: string, api: unknown): void {
    this.exposed.push({ key: apiKey, api });
  }
}

export class FakeProtocol implements ProtocolLike {
  readonly privileged: CustomSchemeLike[] = [];
  readonly handlers = new Map<string, ProtocolHandler>();
  registerSchemesAsPrivileged(schemes: CustomSchemeLike[]): void {
    this.privileged.push(...schemes);
  }
  handle(scheme: string, handler: ProtocolHandler): void {
    this.handlers.set(scheme, handler);
  }
  fetch(url: string, init?: RequestInit): Promise<Response> {
    const scheme = new URL(url).protocol.slice(0, -1);
    const handler = this.handlers.get(scheme);
    if (!handler) throw new Error(`no handler for ${scheme}:`);
    return Promise.resolve(handler(new Request(url, init)));
  }
}

export class FakeSession implements SessionLike {
  requestHandler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
  checkHandler: ((webContents: unknown, permission: string) => boolean) | null = null;
  setPermissionRequestHandler(handler: typeof this.requestHandler): void {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: typeof this.checkHandler): void {
    this.checkHandler = handler;
  }
}

export class FakeApp extends Emitter implements AppLike {
  quitCalls = 0;
  exitCode: number | null = null;
  sandboxEnabled = false;
  constructor(readonly appPath: string) {
    super();
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  enableSandbox(): void {
    this.sandboxEnabled = true;
  }
  requestSingleInstanceLock(): boolean {
    return true;
  }
  getAppPath(): string {
    return this.appPath;
  }
  getVersion(): string {
    return '0.0.0-test';
  }
  quit(): void {
    this.quitCalls++;
  }
  exit(code = 0): void {
    this.exitCode = code;
  }
}

export class FakeUtilityChild extends Emitter implements UtilityProcessChildLike {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly posted: unknown[] = [];
  /** the ports transferred with each posted message (same index as posted) */
  readonly postedPorts: MessagePortMainLike[][] = [];
  killed = 0;
  constructor(
    readonly modulePath: string,
    readonly args: string[],
    readonly options: Parameters<UtilityProcessLike['fork']>[2],
    readonly pid: number | undefined = 4242,
  ) {
    super();
  }
  postMessage(message: unknown, transfer: MessagePortMainLike[] = []): void {
    this.posted.push(message);
    this.postedPorts.push(transfer);
  }
  kill(): boolean {
    this.killed++;
    return true;
  }
}

export class FakeUtilityProcess implements UtilityProcessLike {
  readonly children: FakeUtilityChild[] = [];
  fork(modulePath: string, args: string[] = [], options?: Parameters<UtilityProcessLike['fork']>[2]): FakeUtilityChild {
    const child = new FakeUtilityChild(modulePath, args, options);
    this.children.push(child);
    return child;
  }
}

/** Electron's dialog: records each save dialog and answers with the path a test sets (null: the user cancels). */
export class FakeDialog implements DialogLike {
  readonly errorBoxes: string[] = [];
  readonly saveDialogs: Array<{ window: BrowserWindowLike; options: SaveDialogOptionsLike }> = [];
  answer: string | null = null;
  showErrorBox(title: string, content: string): void {
    this.errorBoxes.push(`${title}: ${content}`);
  }
  showSaveDialog(window: BrowserWindowLike, options: SaveDialogOptionsLike): Promise<{ canceled: boolean; filePath?: string }> {
    this.saveDialogs.push({ window, options });
    return Promise.resolve(this.answer === null ? { canceled: true } : { canceled: false, filePath: this.answer });
  }
}
