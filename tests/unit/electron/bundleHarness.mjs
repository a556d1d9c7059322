// Boots the built dist/electron/main.cjs in plain Node with a recording fake
// of the electron module (the Electron binary cannot run on the build
// machines), drives it like Electron would, and prints a JSON report.
// Usage: node bundleHarness.mjs <main.cjs> <appPath>
import Module, { createRequire } from 'node:module';
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { encode } from 'fast-png';

const [bundle, appPath] = process.argv.slice(2);
const report = { privileged: [], sandbox: false, windows: [], ipcChannels: [], removedIpcListeners: [], ipcOnChannels: [], utilityForks: [] };

class Emitter {
  listeners = new Map();
  on(event, listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event, listener) {
    return this.on(event, listener);
  }
  emit(event, ...args) {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
}

const ipcHandlers = new Map();
let protocolHandler = null;
const windows = [];

const app = Object.assign(new Emitter(), {
  quitCalls: 0,
  whenReady: () => Promise.resolve(),
  isReady: () => true,
  enableSandbox: () => void (report.sandbox = true),
  requestSingleInstanceLock: () => true,
  getAppPath: () => appPath,
  getVersion: () => '0.0.0-fake',
  getName: () => 'UMedPT Studio',
  getPath: (name) => path.join(appPath, 'electron-paths', name),
  quit() {
    app.quitCalls++;
  },
  exit(code) {
    report.exitCode = code;
  },
});

class BrowserWindow extends Emitter {
  constructor(options) {
    super();
    this.options = options;
    this.urls = [];
    this.sent = [];
    this.webContents = Object.assign(new Emitter(), {
      setWindowOpenHandler: (handler) => void (this.windowOpenHandler = handler),
      send: (channel, message) => this.sent.push({ channel, message }),
      isDestroyed: () => false,
    });
    windows.push(this);
  }
  loadURL(url) {
    this.urls.push(url);
    return Promise.resolve();
  }
  show() {}
  focus() {}
  isDestroyed() {
    return false;
  }
}

const fakeElectron = {
  app,
  BrowserWindow,
  ipcMain: {
    handle: (channel, handler) => ipcHandlers.set(channel, handler),
    removeHandler: (channel) => ipcHandlers.delete(channel),
    on: (channel) => report.ipcOnChannels.push(channel),
    removeAllListeners: (channel) => report.removedIpcListeners.push(channel),
  },
  protocol: {
    registerSchemesAsPrivileged: (schemes) => report.privileged.push(...schemes),
    handle: (scheme, handler) => {
      report.protocolScheme = scheme;
      protocolHandler = handler;
    },
  },
  session: { defaultSession: { setPermissionRequestHandler() {}, setPermissionCheckHandler: (h) => (report.permissionCheck = h(null, 'media')) } },
  shell: { openExternal: async () => {}, openPath: async () => '' },
  dialog: { showErrorBox: (title, body) => (report.errorBox = `${title}: ${body}`), showSaveDialog: async (_window, options) => {
      report.saveDialog = options;
      return { canceled: false, filePath: path.join(appPath, 'saved', 'report.csv') };
    } },
  utilityProcess: { fork: forkUtilityProcess },
};

// Electron's utilityProcess, as thin as it can be: a Node fork whose child
// gets process.parentPort (parentPortShim.mjs) instead of Electron's.
const parentPortShim = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), 'parentPortShim.mjs')).href;
function forkUtilityProcess(modulePath, args = [], options = {}) {
  report.utilityForks.push({ module: path.basename(modulePath), serviceName: options.serviceName });
  const output = options.stdio === 'pipe' ? 'pipe' : 'ignore';
  const child = fork(modulePath, args, { env: options.env, execArgv: ['--import', parentPortShim], stdio: ['ignore', output, output, 'ipc'] });
  const events = new Emitter();
  child.on('message', (message) => events.emit('message', message));
  child.on('close', (code) => events.emit('exit', code ?? 1));
  return {
    pid: child.pid,
    stdout: child.stdout,
    stderr: child.stderr,
    postMessage: (message) => child.connected && child.send(message),
    kill: () => child.kill(),
    on: (event, listener) => events.on(event, listener),
    once: (event, listener) => events.once(event, listener),
  };
}

const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  if (request === 'electron') return fakeElectron;
  return originalLoad.call(this, request, parent, isMain);
};

createRequire(import.meta.url)(bundle);

// runElectronApp continues after whenReady: wait for the window.
// Generous limits: the build machines are shared and can be slow.
for (let i = 0; i < 3000 && windows.length === 0 && !report.errorBox; i++) await new Promise((r) => setTimeout(r, 10));

const invoke = (senderUrl, action, payload) =>
  Promise.resolve(ipcHandlers.get('umedpt:api-call')({ senderFrame: { url: senderUrl } }, action, payload)).catch((error) => ({ thrown: error.message }));

report.windows = windows.map((w) => ({ urls: w.urls, webPreferences: { ...w.options.webPreferences } }));
report.ipcChannels = [...ipcHandlers.keys()];
report.info = await invoke('umedpt://app/index.html', 'system/info', {});
report.setTheme = await invoke('umedpt://app/index.html', 'settings/set', { theme: 'dark' });
report.badTheme = await invoke('umedpt://app/index.html', 'settings/set', { theme: 'purple' });
report.foreign = await invoke('https://evil.example/', 'system/info', {});
const page = await protocolHandler(new Request('umedpt://app/index.html'));
report.page = { status: page.status, csp: page.headers.get('content-security-policy'), text: await page.text() };
// saving a file the page made: the dialog answers a path, the bundled handler writes the bytes there
report.saved = await Promise.resolve(ipcHandlers.get('umedpt:save-file')({ senderFrame: { url: 'umedpt://app/index.html' } }, { fileName: 'report.csv', mime: 'text/csv', bytes: new TextEncoder().encode('a,b\n1,2\n') })).catch((error) => ({ thrown: error.message }));
report.traversal = (await protocolHandler(new Request('umedpt://app/..%2f..%2fpackage.json'))).status;
report.newWindow = windows[0]?.windowOpenHandler({ url: 'https://evil.example/' });

// A real import job: the manager starts dist/electron/importWorker.js (the ESM worker bundle) as a utility process.
const images = path.join(appPath, 'images');
for (const [label, shade] of [['benign', 40], ['malignant', 200]]) {
  mkdirSync(path.join(images, label), { recursive: true });
  for (let i = 0; i < 2; i++) {
    const data = new Uint8Array(16 * 16).map((_, p) => (shade + p * (i + 1)) % 256);
    writeFileSync(path.join(images, label, `${label}-${i}.png`), encode({ width: 16, height: 16, data, channels: 1, depth: 8 }));
  }
}
report.importStart = await invoke('umedpt://app/index.html', 'import/start', { path: images, name: 'bundle smoke' });
const finished = () => windows[0]?.sent.find((s) => s.message?.event === 'import/finished');
for (let i = 0; i < 1800 && !finished(); i++) await new Promise((r) => setTimeout(r, 50));
report.importFinished = finished()?.message.payload ?? null;

const quit = { prevented: false, preventDefault: () => (quit.prevented = true) };
app.emit('before-quit', quit);
for (let i = 0; i < 1000 && app.quitCalls === 0; i++) await new Promise((r) => setTimeout(r, 10));
report.quit = { prevented: quit.prevented, quitCalls: app.quitCalls };

process.stdout.write(JSON.stringify(report));
