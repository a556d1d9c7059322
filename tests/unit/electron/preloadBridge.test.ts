import { describe, expect, it } from 'vitest';
import { apiCallChannel, apiEventChannel, saveFileChannel } from '../../../main/electron/ipcChannels';
import { exposePreloadBridge } from '../../../main/electron/preloadBridge';
import { FakeContextBridge, FakeIpcRenderer } from './fakeElectron';

function exposed() {
  const bridge = new FakeContextBridge();
  const ipcRenderer = new FakeIpcRenderer();
  exposePreloadBridge(bridge, ipcRenderer);
  return { bridge, ipcRenderer, api: bridge.exposed[0]?.api as Record<string, (...args: unknown[]) => unknown> };
}

/** Every value reachable from root (own properties, call results are checked separately). */
function reachable(root: unknown, seen = new Set<unknown>()): unknown[] {
  if (root === null || (typeof root !== 'object' && typeof root !== 'function') || seen.has(root)) return [];
  seen.add(root);
  const values: unknown[] = [root];
  for (const key of Reflect.ownKeys(root as object)) {
    const descriptor = Object.getOwnPropertyDescriptor(root, key);
    if (descriptor && 'value' in descriptor) values.push(...reachable(descriptor.value, seen));
  }
  values.push(...reachable(Object.getPrototypeOf(root), seen).filter((v) => v !== Object.prototype && v !== Function.prototype));
  return values;
}

describe('preload bridge', () => {
  it('exposes exactly one object, window.umedpt, of four functions', () => {
    const { bridge, api } = exposed();
    expect(bridge.exposed).toHaveLength(1);
    expect(bridge.exposed[0]!.key).toBe('umedpt');
    expect(Object.keys(api).sort()).toEqual(['call', 'mediaUrl', 'onEvent', 'saveFile']);
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('nothing reachable from the exposed object is ipcRenderer or one of its methods', () => {
    const { api, ipcRenderer } = exposed();
    const forbidden = new Set<unknown>([ipcRenderer, ipcRenderer.invoke, ipcRenderer.on, ipcRenderer.removeListener, ipcRenderer.emit]);
    for (const value of reachable(api)) expect(forbidden.has(value)).toBe(false);
  });

  it('call() invokes the one API channel and returns main\'s result value', async () => {
    const { api, ipcRenderer } = exposed();
    ipcRenderer.reply = { ok: true, value: { theme: 'dark' } };
    const result = await api.call!('settings/set', { theme: 'dark' });
    expect(result).toEqual({ ok: true, value: { theme: 'dark' } });
    expect(ipcRenderer.invoked).toEqual([{ channel: apiCallChannel, args: ['settings/set', { theme: 'dark' }] }]);
    expect(await api.call!(7, {})).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(ipcRenderer.invoked).toHaveLength(1);
  });

  it('onEvent() hands listeners the message only (never the IPC event or its sender) and unsubscribes', () => {
    const { api, ipcRenderer } = exposed();
    const received: unknown[][] = [];
    const unsubscribe = api.onEvent!((...args: unknown[]) => received.push(args)) as () => void;
    expect(typeof unsubscribe).toBe('function');
    expect(unsubscribe).not.toBe(ipcRenderer.removeListener);
    const message = { event: 'system/log', payload: { level: 'info', source: 's', message: 'm', time: 't' } };
    ipcRenderer.deliver(apiEventChannel, message);
    expect(received).toEqual([[message]]);
    for (const args of received) for (const arg of args) expect(reachable(arg)).not.toContain(ipcRenderer);
    unsubscribe();
    ipcRenderer.deliver(apiEventChannel, message);
    expect(received).toHaveLength(1);
    expect(ipcRenderer.count(apiEventChannel)).toBe(0);
    expect(() => api.onEvent!('not a function')).toThrow(/listener must be a function/);
  });

  it('mediaUrl() builds same-origin umedpt://app/media URLs', () => {
    const { api } = exposed();
    expect(api.mediaUrl!('preview/img-1?maxSide=256')).toBe('umedpt://app/media/preview/img-1?maxSide=256');
    expect(api.mediaUrl!('/preview/x')).toBe('umedpt://app/media/preview/x');
  });

  it('saveFile() hands the request to the save channel and returns main\'s answer', async () => {
    const { api, ipcRenderer } = exposed();
    ipcRenderer.reply = { saved: true, path: '/home/me/report.html' };
    const request = { fileName: 'report.html', mime: 'text/html', bytes: Uint8Array.from([60, 104]) };
    expect(await api.saveFile!(request)).toEqual({ saved: true, path: '/home/me/report.html' });
    expect(ipcRenderer.invoked).toEqual([{ channel: saveFileChannel, args: [request] }]);
  });
});
