/**
 * A worker's line to the process that started it. Electron's utilityProcess
 * gives the worker process.parentPort; a Node fork gives it process.send.
 * Every worker (training, tool, import, study) talks through this, so each
 * runs the same under both launchers.
 */
interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

export interface ParentChannel<In, Out> {
  /** resolves once the message is handed over; a no-op once the parent is gone (a run goes on) */
  post(message: Out): Promise<void>;
  listen(handler: (message: In) => void): void;
}

export function parentChannel<In, Out>(): ParentChannel<In, Out> {
  const port = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (port) {
    return {
      post: (message) => {
        port.postMessage(message);
        return Promise.resolve();
      },
      listen: (handler) => port.on('message', (event) => handler(event.data as In)),
    };
  }
  return {
    post: (message) =>
      new Promise((resolve) => {
        // with a callback a failed send (parent just died: EPIPE) is reported there instead of crashing us
        if (process.connected && process.send) process.send(message, undefined, undefined, () => resolve());
        else resolve();
      }),
    listen: (handler) => process.on('message', (message) => handler(message as In)),
  };
}

/** Leaves once queued messages are out: tfjs and wasm threads keep handles open, so a worker never ends on its own. */
export function exitSoon(code?: number): void {
  if (code !== undefined) process.exitCode = code;
  setTimeout(() => process.exit(), 50);
}
