/**
 * The engine window wiring (training on Chromium's WebGPU in the desktop
 * app) against the thin fake Electron: the hidden window's options and
 * guards, the port handed to the page and to the training process, the
 * protocol over a real MessageChannel with the real engine behind it (on the
 * cpu backend: Node has no Chromium WebGPU; the page side on WebGPU is
 * tests/e2e/webgpuPage.e2e.test.ts), and what happens on errors and closes.
 */
import type { MessagePort as NodeMessagePort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEngineWindowHost, enableChromiumWebgpu, engineWindowOptions, engineWindowUrl } from '../../../main/electron/engineWindowHost';
import { relayEnginePort } from '../../../main/electron/enginePreloadRelay';
import { createUtilityProcessLauncher } from '../../../main/electron/utilityProcessLauncher';
import { appOrigin } from '../../../main/electron/appOrigin';
import { engineWindowPortChannel, engineWindowPortMessage } from '../../../main/engine/browser/engineWindowChannels';
import { EngineWindowClient } from '../../../main/engine/browser/engineWindowClient';
import { serveEngineOnPort, type PagePortLike, type PortEngine } from '../../../main/engine/browser/engineWindowPort';
import { engineWindow } from '../../../main/engine/browser/engineWindow';
import { initEngine } from '../../../main/engine/backend/initEngine';
import { generateSyntheticTasks } from '../../../main/engine/data/synthetic';
import { assembleBatch } from '../../../main/engine/train/taskBatch';
import { createUmedptModel, type UmedptModelConfig } from '../../../main/engine/model/umedptModel';
import { MultiTaskTrainer } from '../../../main/engine/train/multiTaskTrainer';
import { readCheckpointFiles } from '../../../main/engine/train/checkpointFiles';
import { attachEngineWindow, connectEngineWindow, engineWindowUse, type ParentPortWithPorts } from '../../../main/runs/engineWindowConnection';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeApp, FakeBrowserWindow, FakeIpcRenderer, FakeMessageChannelMain, FakeUtilityProcess, preventable, type FakeMessagePortMain } from './fakeElectron';

const preloadPath = '/app/dist/electron/enginePreload.cjs';
const entryPath = (entry: string) => `/app/dist/electron/${entry}Worker.js`;

function setup(options: { withHost?: boolean } = {}) {
  const utility = new FakeUtilityProcess();
  const logged: string[] = [];
  const host = createEngineWindowHost({ BrowserWindow: FakeBrowserWindow, MessageChannelMain: FakeMessageChannelMain }, { preloadPath, log: (m) => logged.push(m) });
  const launched = createUtilityProcessLauncher(utility, entryPath, options.withHost === false ? null : host).launch<unknown, unknown>({ entry: 'training', args: [] });
  const child = utility.children[0]!;
  const jobMessages: unknown[] = [];
  launched.onMessage((m) => jobMessages.push(m));
  return { host, child, launched, jobMessages, logged };
}

/** the page's end as the page sees it: a DOM-like MessagePort (Node's is one) */
function pagePort(port: FakeMessagePortMain): PagePortLike {
  return port.nodePort as unknown as PagePortLike & NodeMessagePort;
}

async function connected(engine: PortEngine, options: { timeoutMs?: number } = {}) {
  const s = setup();
  s.child.emit('message', { type: 'engine-window/request-port' });
  await vi.waitFor(() => expect(s.child.posted).toContainEqual({ type: 'engine-window/port' }));
  const window = FakeBrowserWindow.created.at(-1)!;
  const pageEnd = window.webContents.postedMessages[0]!.transfer[0] as FakeMessagePortMain;
  serveEngineOnPort(pagePort(pageEnd), engine);
  const processEnd = s.child.postedPorts[s.child.posted.findIndex((m) => (m as { type: string }).type === 'engine-window/port')]![0] as FakeMessagePortMain;
  return { ...s, window, pageEnd, processEnd, client: new EngineWindowClient(processEnd, options) };
}

beforeEach(() => {
  FakeBrowserWindow.created = [];
  FakeMessageChannelMain.created = [];
});

describe('the engine window', () => {
  it('is hidden, never throttled, and isolated: contextIsolation and sandbox on, no Node anywhere, its own preload', () => {
    const options = engineWindowOptions(preloadPath);
    expect(options.show).toBe(false);
    expect(options.skipTaskbar).toBe(true);
    expect(options.webPreferences).toEqual({
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      backgroundThrottling: false,
    });
  });

  it("turns on Chromium's WebGPU on Linux only (elsewhere it is on by default)", () => {
    const switches: string[] = [];
    const app = Object.assign(new FakeApp('/app'), { commandLine: { appendSwitch: (name: string, value?: string) => switches.push(value ? `${name}=${value}` : name) } });
    expect(enableChromiumWebgpu(app, 'darwin')).toEqual([]);
    expect(switches).toEqual([]);
    enableChromiumWebgpu(app, 'linux');
    expect(switches).toEqual(['enable-unsafe-webgpu', 'enable-features=Vulkan']);
  });

  it('opens on request of a training process, loads only the bundled engine page, and refuses navigation and new windows', async () => {
    const { child, jobMessages, host } = setup();
    expect(FakeBrowserWindow.created).toHaveLength(0);
    child.emit('message', { type: 'engine-window/request-port' });
    // the request is for main, not for the job manager
    expect(jobMessages).toEqual([]);
    const window = FakeBrowserWindow.created[0]!;
    expect(window.options).toEqual(engineWindowOptions(preloadPath));
    expect(window.loadedUrls).toEqual([engineWindowUrl]);
    expect(engineWindowUrl).toBe('umedpt://app/engine/engine.html');
    expect(host.openWindows).toBe(1);
    for (const event of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      const e = preventable();
      window.webContents.emit(event, e, 'https://evil.example/');
      expect(e.prevented).toBe(true);
    }
    expect(window.webContents.windowOpenHandler!({ url: 'https://example.org/' })).toEqual({ action: 'deny' });

    // once loaded: one end of a channel to the page's preload, the other to the process
    await vi.waitFor(() => expect(child.posted).toEqual([{ type: 'engine-window/port' }]));
    expect(FakeMessageChannelMain.created).toHaveLength(1);
    const { port1, port2 } = FakeMessageChannelMain.created[0]!;
    expect(window.webContents.postedMessages).toEqual([{ channel: engineWindowPortChannel, message: null, transfer: [port1] }]);
    expect(child.postedPorts[0]).toEqual([port2]);
    expect(window.shown).toBe(false);
    // other messages of the run still reach the job manager
    child.emit('message', { type: 'log', line: 'hello' });
    expect(jobMessages).toEqual([{ type: 'log', line: 'hello' }]);
  });

  it('closes when its training process exits; tells the process when the window goes first', async () => {
    const a = setup();
    a.child.emit('message', { type: 'engine-window/request-port' });
    await vi.waitFor(() => expect(a.child.posted).toHaveLength(1));
    a.child.emit('exit', 0);
    expect(FakeBrowserWindow.created[0]!.closed).toBe(true);
    expect(a.host.openWindows).toBe(0);
    expect(a.child.posted).toHaveLength(1);

    const b = setup();
    b.child.emit('message', { type: 'engine-window/request-port' });
    await vi.waitFor(() => expect(b.child.posted).toHaveLength(1));
    FakeBrowserWindow.created[1]!.webContents.emit('render-process-gone', {}, { reason: 'crashed' });
    expect(FakeBrowserWindow.created[1]!.closed).toBe(true);
    expect(b.child.posted[1]).toEqual({ type: 'engine-window/unavailable', reason: 'the engine window closed: its page crashed (crashed)' });
  });

  it('answers why not when the page fails to load, a second window is asked for, or the app has no engine windows', async () => {
    const { child } = setup();
    const realLoad = FakeBrowserWindow.prototype.loadURL;
    vi.spyOn(FakeBrowserWindow.prototype, 'loadURL').mockImplementationOnce(function (this: FakeBrowserWindow, url: string) {
      void realLoad.call(this, url);
      return Promise.reject(new Error('ERR_FILE_NOT_FOUND'));
    });
    child.emit('message', { type: 'engine-window/request-port' });
    await vi.waitFor(() => expect(child.posted).toHaveLength(1));
    expect(child.posted[0]).toEqual({ type: 'engine-window/unavailable', reason: 'the engine page did not load (ERR_FILE_NOT_FOUND)' });
    expect(FakeBrowserWindow.created[0]!.closed).toBe(true);

    const twice = setup();
    twice.child.emit('message', { type: 'engine-window/request-port' });
    twice.child.emit('message', { type: 'engine-window/request-port' });
    expect(twice.child.posted[0]).toEqual({ type: 'engine-window/unavailable', reason: 'this process already has an engine window' });

    const none = setup({ withHost: false });
    none.child.emit('message', { type: 'engine-window/request-port' });
    expect(none.child.posted).toEqual([{ type: 'engine-window/unavailable', reason: 'this app has no engine windows' }]);
  });

  it("the preload hands only the port to the page, to the app's own origin", () => {
    const ipc = new FakeIpcRenderer();
    const posted: unknown[][] = [];
    relayEnginePort(ipc, { postMessage: (...args: unknown[]) => posted.push(args) });
    const port = { a: 'port' };
    ipc.emit(engineWindowPortChannel, { sender: ipc, ports: [port] });
    ipc.emit(engineWindowPortChannel, { sender: ipc, ports: [] });
    expect(posted).toEqual([[engineWindowPortMessage, appOrigin, [port]]]);
  });
});

describe('the port protocol, with the real engine behind the page end (cpu backend)', () => {
  const size = 32;
  const tasks = generateSyntheticTasks({ size, counts: { train: 4, val: 0, test: 0 }, seed: 3 });
  const config: UmedptModelConfig = { encoder: 'small-cnn', inputSize: size, squeezerWidth: 16, detectionWidth: 8, seed: 4, tasks: tasks.map((t) => ({ name: t.name, kind: t.kind, numClasses: t.classNames.length })) };
  const batches = () => tasks.map((t) => assembleBatch(t.name, t.kind, t.train.slice(0, 2)));
  // the page's engine on a backend Node has: everything but start(), which needs Chromium's navigator.gpu
  const cpuEngine: PortEngine = { ...engineWindow, start: async () => ({ backend: tf.getBackend(), adapter: { vendor: 'test', architecture: 'cpu', description: 'cpu backend', software: true } }) };

  beforeAll(async () => {
    await initEngine({ forced: 'cpu' });
  });
  afterAll(() => {
    tf.disposeVariables();
  });

  it('a training step goes out with its batches and the losses come back; the state round-trips', async () => {
    const { client, processEnd } = await connected(cpuEngine);
    expect((await client.start()).adapter.description).toBe('cpu backend');
    await client.createModel(config, 0.01);
    const before = await client.state();
    const losses = await client.step(batches(), { learningRate: 1e-2, headLearningRate: 1e-2, dropoutSeeds: [1, 2, 3] });
    expect(Object.keys(losses).sort()).toEqual(tasks.map((t) => t.name).sort());
    for (const v of Object.values(losses)) expect(Number.isFinite(v) && v > 0).toBe(true);

    const after = await client.state();
    // typed arrays crossed the channel as typed arrays; the step moved the weights and the optimizers counted it
    expect(after.weights[0]!.values).toBeInstanceOf(Float32Array);
    const moved = after.weights.filter((w, i) => w.values.some((v, j) => v !== before.weights[i]!.values[j])).length;
    expect(moved).toBeGreaterThan(after.weights.length / 2);
    expect(after.optimizers.shared.steps.every((s) => s === 1)).toBe(true);
    expect(Object.keys(after.optimizers.heads).sort()).toEqual(tasks.map((t) => t.name).sort());

    // a checkpoint restored into the page: weights and moments as saved
    await client.setState(before.weights, before.optimizers);
    const restored = await client.state();
    expect(restored.weights.map((w) => Array.from(w.values))).toEqual(before.weights.map((w) => Array.from(w.values)));
    expect(restored.optimizers.shared.steps.every((s) => s === 0)).toBe(true);
    client.close();
    processEnd.close();
  }, 120_000);

  it('a request the page cannot validate is answered with the problem, and the engine never sees it', async () => {
    const engine = { ...cpuEngine, stepWith: vi.fn(cpuEngine.stepWith) };
    const { processEnd } = await connected(engine);
    const answers: unknown[] = [];
    processEnd.on('message', (e) => answers.push(e.data));
    const bad = batches()[0]!;
    processEnd.postMessage({ id: 7, type: 'step', batches: [{ ...bad, images: bad.images.subarray(0, 10) }], settings: { learningRate: 1, headLearningRate: 1, dropoutSeeds: [0] } });
    processEnd.postMessage({ id: 8, type: 'step', batches: [{ ...bad, images: Array.from(bad.images) }], settings: { learningRate: 1, headLearningRate: 1, dropoutSeeds: [0] } });
    processEnd.postMessage({ type: 'format-disk' });
    await vi.waitFor(() => expect(answers).toHaveLength(3));
    expect(answers[0]).toEqual({ id: 7, ok: false, type: 'error', message: 'invalid request: batches.0: images must hold batchSize x size x size x 3 values' });
    expect(answers[1]).toMatchObject({ id: 8, ok: false, message: 'invalid request: batches.0.images: expected a Float32Array' });
    expect(answers[2]).toMatchObject({ id: null, ok: false, type: 'error' });
    expect(engine.stepWith).not.toHaveBeenCalled();
    processEnd.close();
  });

  it("the page's error rejects that request only; the client goes on", async () => {
    const { client, processEnd } = await connected({ ...cpuEngine, createModel: () => undefined, state: () => Promise.reject(new Error('engine window: createModel first')) });
    await expect(client.state()).rejects.toThrow('engine window: engine window: createModel first');
    await expect(client.start()).resolves.toMatchObject({ backend: 'cpu' });
    client.close();
    processEnd.close();
  });

  it('an invalid answer, a closed port or a hung page reject what waits, and later requests, with the reason', async () => {
    // a page that answers nonsense
    const liar = await connected({ ...cpuEngine });
    liar.pageEnd.nodePort.removeAllListeners('message');
    liar.pageEnd.nodePort.on('message', (data: { id: number }) => liar.pageEnd.postMessage({ id: data.id, ok: true, type: 'step', losses: { a: 'NaN' } }));
    await expect(liar.client.step(batches(), { learningRate: 1, headLearningRate: 1, dropoutSeeds: [0, 1, 2] })).rejects.toThrow(/invalid message: losses\.a/);
    await expect(liar.client.start()).rejects.toThrow(/invalid message/);
    liar.processEnd.close();

    // the window goes away while a request waits
    const gone = await connected({ ...cpuEngine, start: () => new Promise(() => undefined) });
    const waiting = gone.client.start();
    gone.pageEnd.close();
    await expect(waiting).rejects.toThrow('the engine window closed');
    expect(gone.client.closedBecause?.message).toMatch(/engine window closed/);

    // a page that never answers
    const hung = await connected({ ...cpuEngine, start: () => new Promise(() => undefined) }, { timeoutMs: 50 });
    await expect(hung.client.start()).rejects.toThrow("the engine window did not answer 'start' within 0 s");
    hung.processEnd.close();
  });

  it("a trainer whose steps run in the window: it samples and schedules here, the window steps, and checkpoints hold the window's weights", async () => {
    const { client, processEnd } = await connected(cpuEngine);
    const one = [tasks[0]!];
    const oneConfig = { ...config, tasks: config.tasks.slice(0, 1) };
    await client.createModel(oneConfig);
    const model = createUmedptModel(oneConfig);
    const trainer = new MultiTaskTrainer(model, one, { batchSize: 2, learningRate: 5e-3, remote: client });
    await trainer.pushToRemote();
    const local = async () => Array.from((await model.sharedVariables()[0]!.data()) as Float32Array);
    const start = await local();
    await trainer.stepAsync();
    await trainer.stepAsync();
    expect(trainer.stepCount).toBe(2);
    // the local model did not train: the window did
    expect(await local()).toEqual(start);
    const windowState = await client.state();
    expect(windowState.optimizers.shared.steps.every((s) => s === 2)).toBe(true);

    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'umedpt-engine-window-')), 'latest');
    await trainer.saveCheckpointAsync(dir);
    const saved = readCheckpointFiles(dir).arrays;
    expect(Array.from(saved.get('model/encoder/0')!.values)).toEqual(Array.from(windowState.weights.find((w) => w.key === 'model/encoder/0')!.values));
    expect(Array.from(saved.get('adamw/shared/m/0')!.values)).toEqual(Array.from(windowState.optimizers.shared.m[0]!));
    expect(await local()).not.toEqual(start);
    trainer.dispose();
    model.dispose();
    client.close();
    processEnd.close();
  }, 120_000);
  it('automatic selection in the desktop app: webgpu in the window on a hardware adapter, never on a software one', async () => {
    const electron = { electron: '38.8.6' } as unknown as NodeJS.ProcessVersions;
    const local = { backend: 'wasm' as const, reason: 'automatic: first usable in order ...', probes: { 'tensorflow-gpu': { usable: false as const, reason: 'not installed' }, webgpu: { usable: false as const, reason: "Dawn's Node binding cannot run in Electron" }, tensorflow: { usable: false as const, reason: 'not installed' }, wasm: { usable: true as const } } };
    const automatic = { forced: null, source: 'automatic' as const };
    const windowWith = (adapter: { vendor: string; architecture: string; description: string; software: boolean }) => {
      const made: Array<Awaited<ReturnType<typeof connected>>> = [];
      const connect = vi.fn(async () => {
        const c = await connected({ ...cpuEngine, start: async () => ({ backend: 'webgpu', adapter }) });
        made.push(c);
        return c.client;
      });
      return { connect, made };
    };

    const gpu = windowWith({ vendor: 'nvidia', architecture: 'ada', description: 'NVIDIA GeForce RTX 4090', software: false });
    const onGpu = await attachEngineWindow(automatic, local, { versions: electron, connect: gpu.connect });
    expect(onGpu.engine.backend).toBe('webgpu');
    expect(onGpu.engine.reason).toMatch(/^automatic: first usable in order tensorflow-gpu > webgpu \(hardware adapter\) > tensorflow > wasm > cpu; Chromium's WebGPU in the engine window \(adapter: nvidia ada NVIDIA GeForce RTX 4090, hardware\)$/);
    expect(onGpu.window).not.toBeNull();
    await expect(onGpu.window!.start()).resolves.toMatchObject({ backend: 'webgpu' });
    onGpu.window!.close();

    const swiftShader = windowWith({ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader Device (Subzero)', software: true });
    // the release goes over the process's parent channel, through the launcher, to the host
    const release = () => swiftShader.made[0]!.child.emit('message', { type: 'engine-window/release' });
    const onSoftware = await attachEngineWindow(automatic, local, { versions: electron, connect: swiftShader.connect, release });
    expect(onSoftware.engine.backend).toBe('wasm');
    expect(onSoftware.window).toBeNull();
    expect(onSoftware.engine.reason).toContain('webgpu in the engine window not used: only a software adapter (SwiftShader Device (Subzero))');
    // the window it asked for is let go: closed by main at once, without an 'unavailable' to the process
    const { window: released, host, child, logged } = swiftShader.made[0]!;
    expect(released.isDestroyed()).toBe(true);
    expect(host.openWindows).toBe(0);
    expect(logged).toContain('engine window released by its training process');
    expect(child.posted).not.toContainEqual(expect.objectContaining({ type: 'engine-window/unavailable' }));

    // forced, a software adapter is taken
    const forced = await attachEngineWindow({ forced: 'webgpu', source: 'setting' }, local, { versions: electron, connect: windowWith({ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader', software: true }).connect });
    expect(forced.engine.backend).toBe('webgpu');
    expect(forced.engine.reason).toMatch(/^forced to webgpu by the setting "Default engine backend"; Chromium's WebGPU .*software\)$/);
    forced.window!.close();

    // outside Electron, with tensorflow-gpu loaded, or with another backend forced: no window is asked for
    const never = vi.fn(async () => Promise.reject(new Error('must not connect')));
    expect(await attachEngineWindow(automatic, local, { versions: {} as NodeJS.ProcessVersions, connect: never })).toMatchObject({ engine: { backend: 'wasm' }, window: null });
    expect(await attachEngineWindow(automatic, { backend: 'tensorflow-gpu', reason: 'x', probes: { 'tensorflow-gpu': { usable: true } } }, { versions: electron, connect: never })).toMatchObject({ engine: { backend: 'tensorflow-gpu' }, window: null });
    expect(await attachEngineWindow({ forced: 'wasm', source: 'setting' }, local, { versions: electron, connect: never })).toMatchObject({ engine: { backend: 'wasm' }, window: null });
    expect(never).not.toHaveBeenCalled();

    // no window to be had: automatic stays on the local backend and says why
    const none = await attachEngineWindow(automatic, local, { versions: electron, connect: () => Promise.reject(new Error('no engine window: this process was not started by the desktop app')) });
    expect(none.engine.backend).toBe('wasm');
    expect(none.note).toEqual({ level: 'info', message: 'automatic selection could not check webgpu: no engine window: this process was not started by the desktop app; training on wasm' });
  });
});

describe('the training process asks for its window', () => {
  function parentPort(answer: (posted: unknown, deliver: (data: unknown, ports?: unknown[]) => void) => void) {
    const listeners: Array<(event: { data: unknown; ports?: readonly never[] }) => void> = [];
    const port: ParentPortWithPorts & { posted: unknown[] } = {
      posted: [],
      postMessage(message) {
        port.posted.push(message);
        answer(message, (data, ports) => listeners.forEach((l) => l({ data, ports: (ports ?? []) as never[] })));
      },
      on(_event, listener) {
        listeners.push(listener);
      },
      off(_event, listener) {
        listeners.splice(listeners.indexOf(listener), 1);
      },
    };
    return port;
  }

  it('only inside Electron: where webgpu is forced, or where automatic selection reaches webgpu', () => {
    const electron = { electron: '38.8.6' } as unknown as NodeJS.ProcessVersions;
    const onWasm = { backend: 'wasm' as const, reason: '', probes: { 'tensorflow-gpu': { usable: false as const, reason: 'not installed' }, wasm: { usable: true as const } } };
    expect(engineWindowUse({ forced: 'webgpu', source: 'config' }, onWasm, electron)).toBe('forced');
    expect(engineWindowUse({ forced: 'webgpu', source: 'environment' }, onWasm, electron)).toBe('forced');
    expect(engineWindowUse({ forced: 'webgpu', source: 'config' }, onWasm, {} as NodeJS.ProcessVersions)).toBeNull();
    expect(engineWindowUse({ forced: 'wasm', source: 'setting' }, onWasm, electron)).toBeNull();
    expect(engineWindowUse({ forced: null, source: 'automatic' }, onWasm, electron)).toBe('automatic');
    expect(engineWindowUse({ forced: null, source: 'automatic' }, onWasm, {} as NodeJS.ProcessVersions)).toBeNull();
    // tensorflow-gpu outranks webgpu: no window
    expect(engineWindowUse({ forced: null, source: 'automatic' }, { backend: 'tensorflow-gpu', reason: '', probes: { 'tensorflow-gpu': { usable: true } } }, electron)).toBeNull();
  });

  it('gets a client on the port main sends, or the reason there is none', async () => {
    const channel = new FakeMessageChannelMain();
    const granted = parentPort((_m, deliver) => {
      deliver({ type: 'log', line: 'unrelated' });
      deliver({ type: 'engine-window/port' }, [channel.port2]);
    });
    const client = await connectEngineWindow(granted);
    expect(granted.posted).toEqual([{ type: 'engine-window/request-port' }]);
    expect(client).toBeInstanceOf(EngineWindowClient);
    client.close();
    channel.port1.close();

    await expect(connectEngineWindow(parentPort((_m, deliver) => deliver({ type: 'engine-window/unavailable', reason: 'the engine page did not load (x)' })))).rejects.toThrow('no engine window: the engine page did not load (x)');
    await expect(connectEngineWindow(parentPort(() => undefined), { timeoutMs: 20 })).rejects.toThrow('no engine window: the app did not answer within 0 s');
    await expect(connectEngineWindow(undefined)).rejects.toThrow('not started by the desktop app');
  });
});
