/**
 * Previews, thumbnails and masks are decoded off the main loop: a small pool of worker processes (the
 * import worker entry, so the packaged app needs no new bundle) renders them, one request per worker at
 * a time. A render past its deadline, or a worker whose resident memory passes the cap, is killed and the
 * request answered with the reason; the next request starts a fresh worker. Nothing a file holds can
 * freeze the server or Electron's main process.
 */
import { readFileSync } from 'node:fs';
import { defaultProcessLauncher, type ProcessLauncher, type WorkerProcess } from '../workers/processLauncher';
import type { FromImportWorker, ToImportWorker } from './importMessages';
import type { PreviewRequest } from '../catalog/catalogPreview';

export interface PreviewPoolOptions {
  size: number;
  /** longest one render may take */
  deadlineMs: number;
  /** resident memory a worker may reach while rendering (checked on Linux, where /proc shows it) */
  memoryCapMb: number;
  launcher?: ProcessLauncher;
}

export const defaultPreviewPoolOptions: PreviewPoolOptions = { size: 2, deadlineMs: 60_000, memoryCapMb: 2048 };

export type RenderJob = { what: 'preview'; request: PreviewRequest } | { what: 'mask'; request: { imageId: number } };

/** A render that failed for a reason of the request (no such image): thrown with the worker's message. */
export class RenderFailed extends Error {}

interface Slot {
  process: WorkerProcess<ToImportWorker, FromImportWorker>;
  busy: { id: number; resolve: (png: Uint8Array) => void; reject: (error: Error) => void } | null;
  dead: boolean;
  stderr: string;
}

function residentMb(pid: number | null): number {
  if (!pid) return 0;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

export class PreviewPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Array<{ job: RenderJob; resolve: (png: Uint8Array) => void; reject: (error: Error) => void }> = [];
  private nextId = 1;
  private closed = false;
  private readonly options: PreviewPoolOptions;

  constructor(
    private readonly dataDir: string,
    options: Partial<PreviewPoolOptions> = {},
  ) {
    this.options = { ...defaultPreviewPoolOptions, ...options };
  }

  render(job: RenderJob): Promise<Uint8Array> {
    if (this.closed) return Promise.reject(new Error('the preview workers are shut down'));
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.dead && !s.busy);
      if (!slot && this.slots.filter((s) => !s.dead).length < this.options.size) slot = this.spawn();
      if (!slot) return;
      this.run(slot, this.queue.shift()!);
    }
  }

  private spawn(): Slot {
    const launcher = this.options.launcher ?? defaultProcessLauncher();
    const slot: Slot = { process: null as unknown as Slot['process'], busy: null, dead: false, stderr: '' };
    slot.process = launcher.launch<ToImportWorker, FromImportWorker>({
      entry: 'import',
      args: ['--previews'],
      onStderr: (text) => {
        slot.stderr = (slot.stderr + text).slice(-1000);
      },
      ownProcessGroup: false,
    });
    slot.process.onMessage((message) => {
      if (!slot.busy) return;
      if (message.type === 'rendered' && message.id === slot.busy.id) this.settle(slot, () => slot.busy!.resolve(Buffer.from(message.png, 'base64')));
      else if (message.type === 'renderFailed' && message.id === slot.busy.id) this.settle(slot, () => slot.busy!.reject(new RenderFailed(message.error)));
    });
    slot.process.onExit((code, signal) => {
      slot.dead = true;
      const busy = slot.busy;
      slot.busy = null;
      this.slots.splice(this.slots.indexOf(slot), 1);
      busy?.reject(new Error(`the preview worker ended (${signal ?? `exit code ${code}`}) while rendering${slot.stderr ? `: ${slot.stderr.trim().split('\n').pop()}` : ''}`));
      if (!this.closed) this.pump();
    });
    this.slots.push(slot);
    return slot;
  }

  private settle(slot: Slot, finish: () => void): void {
    finish();
    slot.busy = null;
    this.pump();
  }

  private run(slot: Slot, entry: { job: RenderJob; resolve: (png: Uint8Array) => void; reject: (error: Error) => void }): void {
    const id = this.nextId++;
    let stop: ((why: string) => void) | null = null;
    const done = () => {
      clearTimeout(deadline);
      clearInterval(watchdog);
    };
    slot.busy = {
      id,
      resolve: (png) => {
        done();
        entry.resolve(png);
      },
      reject: (error) => {
        done();
        entry.reject(error);
      },
    };
    stop = (why) => {
      const busy = slot.busy;
      slot.busy = null;
      slot.dead = true;
      slot.process.kill('SIGKILL');
      busy?.reject(new Error(why));
    };
    const deadline = setTimeout(() => stop!(`rendering took longer than ${Math.round(this.options.deadlineMs / 1000)} s and was stopped`), this.options.deadlineMs);
    const watchdog = setInterval(() => {
      const mb = residentMb(slot.process.pid);
      if (mb > this.options.memoryCapMb) stop!(`rendering needed more than ${this.options.memoryCapMb} MB of memory (the preview workers' cap) and was stopped`);
    }, 200);
    deadline.unref?.();
    watchdog.unref?.();
    slot.process.send({ type: 'render', id, dataDir: this.dataDir, what: entry.job.what, request: entry.job.request as PreviewRequest });
  }

  close(): void {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.reject(new Error('the preview workers are shut down'));
    for (const slot of this.slots) slot.process.kill('SIGKILL');
  }
}
