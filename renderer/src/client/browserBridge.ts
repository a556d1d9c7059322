import type { ApiEventMessage } from '../../../shared/api';
import type { BridgeResult, UmedptBridge } from '../../../shared/bridge';

const tokenKey = 'umedpt.token';

/** The token arrives once in the URL; keep it for this tab and drop it from the address bar. */
export function takeToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(tokenKey, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.toString());
    return fromUrl;
  }
  return sessionStorage.getItem(tokenKey);
}

interface Pending {
  resolve(result: BridgeResult): void;
}

/** The same bridge as Electron's preload, carried over one WebSocket with reconnects. */
export function createBrowserBridge(token: string | null): UmedptBridge & { onConnection(listener: (up: boolean) => void): () => void } {
  const listeners = new Set<(message: ApiEventMessage) => void>();
  const connectionListeners = new Set<(up: boolean) => void>();
  const pending = new Map<number, Pending>();
  const queue: string[] = [];
  let nextId = 1;
  let socket: WebSocket | null = null;
  let retryMs = 250;

  const connect = () => {
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${window.location.host}/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`);
    socket = ws;
    ws.onopen = () => {
      retryMs = 250;
      connectionListeners.forEach((l) => l(true));
      while (queue.length) ws.send(queue.shift()!);
    };
    ws.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as { type: string; id?: number } & BridgeResult & ApiEventMessage;
      if (message.type === 'event') listeners.forEach((l) => l({ event: message.event, payload: message.payload } as ApiEventMessage));
      else if (message.type === 'result' && typeof message.id === 'number') {
        pending.get(message.id)?.resolve(message.ok ? { ok: true, value: message.value } : { ok: false, error: message.error });
        pending.delete(message.id);
      }
    };
    ws.onclose = () => {
      connectionListeners.forEach((l) => l(false));
      for (const [id, p] of pending) {
        p.resolve({ ok: false, error: { code: 'unavailable', message: 'connection to UMedPT Studio lost; retrying' } });
        pending.delete(id);
      }
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  };
  connect();

  return {
    call(action, payload) {
      const id = nextId++;
      const text = JSON.stringify({ id, action, payload });
      return new Promise<BridgeResult>((resolve) => {
        pending.set(id, { resolve });
        if (socket?.readyState === WebSocket.OPEN) socket.send(text);
        else queue.push(text);
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    mediaUrl(path) {
      // Same-origin images carry the HttpOnly token cookie set with the page.
      return `/media/${path}`;
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
  };
}
