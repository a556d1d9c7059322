/**
 * The training process's end of the engine window's MessagePort: numbered
 * requests, answers validated (engineResponseSchema) and matched by id. An
 * error answer rejects its request with the page's message; an answer that
 * fails validation, a closed port or a request that outlives its timeout
 * rejects every request still waiting, and the client stays closed, so a run
 * stops with the reason instead of hanging.
 */
import { engineResponseSchema, firstIssue, type EngineAdapter, type EngineModelConfig, type EngineOptimizerStates, type EngineRequestBody, type EngineResponse, type EngineStepSettings, type EngineWeightArray } from './engineWindowProtocol';
import type { TaskBatch } from '../train/taskBatch';

/** Electron's MessagePortMain (in the utility process), or an adapter over another port in tests */
export interface ProcessPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  start(): void;
  close(): void;
}

export interface EngineWindowClientOptions {
  /** how long one request may take before the window counts as hung (default 10 minutes: a ResNet step on a slow GPU) */
  timeoutMs?: number;
}

type Pending = { resolve: (response: EngineResponse) => void; reject: (error: Error) => void; timer: ReturnType<typeof setTimeout> };

export class EngineWindowClient {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private failure: Error | null = null;
  private readonly timeoutMs: number;

  constructor(
    private readonly port: ProcessPortLike,
    options: EngineWindowClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 600_000;
    port.on('message', (event) => this.receive(event.data));
    port.on('close', () => this.fail(new Error('the engine window closed (its page crashed or the app is quitting)')));
    port.start();
  }

  /** why the client stopped, once it has */
  get closedBecause(): Error | null {
    return this.failure;
  }

  async start(): Promise<{ backend: string; adapter: EngineAdapter }> {
    const r = await this.expect({ type: 'start' }, 'start');
    return { backend: r.backend, adapter: r.adapter };
  }

  async createModel(config: EngineModelConfig, weightDecay?: number): Promise<void> {
    await this.expect({ type: 'createModel', config, ...(weightDecay === undefined ? {} : { weightDecay }) }, 'done');
  }

  async step(batches: TaskBatch[], settings: EngineStepSettings): Promise<Record<string, number>> {
    return (await this.expect({ type: 'step', batches, settings }, 'step')).losses;
  }

  async state(): Promise<{ weights: EngineWeightArray[]; optimizers: EngineOptimizerStates }> {
    const r = await this.expect({ type: 'state' }, 'state');
    return { weights: r.weights, optimizers: r.optimizers };
  }

  async setState(weights: EngineWeightArray[], optimizers?: EngineOptimizerStates): Promise<void> {
    await this.expect({ type: 'setState', weights, ...(optimizers ? { optimizers } : {}) }, 'done');
  }

  close(): void {
    this.fail(new Error('the engine window client was closed'));
    this.port.close();
  }

  private async expect<T extends EngineResponse['type']>(body: EngineRequestBody, type: T): Promise<Extract<EngineResponse, { type: T }>> {
    const response = await this.request(body);
    if (response.type !== type) throw new Error(`engine window: '${body.type}' was answered with '${response.type}'`);
    return response as Extract<EngineResponse, { type: T }>;
  }

  private request(body: EngineRequestBody): Promise<EngineResponse> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<EngineResponse>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new Error(`the engine window did not answer '${body.type}' within ${Math.round(this.timeoutMs / 1000)} s`)), this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      try {
        this.port.postMessage({ id, ...body });
      } catch (error) {
        this.settle(id, null, new Error(`engine window: '${body.type}' could not be sent: ${(error as Error).message}`));
      }
    });
  }

  private receive(data: unknown): void {
    const parsed = engineResponseSchema.safeParse(data);
    if (!parsed.success) {
      this.fail(new Error(`the engine window sent an invalid message: ${firstIssue(parsed.error)}`));
      return;
    }
    const response = parsed.data;
    if (response.type === 'error') {
      if (response.id === null) this.fail(new Error(`engine window: ${response.message}`));
      else this.settle(response.id, null, new Error(`engine window: ${response.message}`));
      return;
    }
    if (!this.pending.has(response.id)) {
      this.fail(new Error(`the engine window answered request ${response.id}, which is not waiting`));
      return;
    }
    this.settle(response.id, response, null);
  }

  private settle(id: number, response: EngineResponse | null, error: Error | null): void {
    const waiting = this.pending.get(id);
    if (!waiting) return;
    this.pending.delete(id);
    clearTimeout(waiting.timer);
    if (error) waiting.reject(error);
    else waiting.resolve(response!);
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    for (const id of [...this.pending.keys()]) this.settle(id, null, error);
  }
}
