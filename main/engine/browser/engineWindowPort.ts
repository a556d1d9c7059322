/**
 * The engine page's end of the MessagePort: every message is validated
 * (engineRequestSchema), requests run one at a time in arrival order (a step
 * must finish before the weights are read), and every request gets exactly
 * one answer: its result or an error naming the problem. Nothing a message
 * holds can throw out of here.
 * Runtime-neutral: the DOM MessagePort in the page, Node's in tests.
 */
import { engineRequestSchema, firstIssue, type EngineAdapter, type EngineModelConfig, type EngineOptimizerStates, type EngineRequest, type EngineResponse, type EngineStepSettings, type EngineWeightArray } from './engineWindowProtocol';
import type { TaskBatch } from '../train/taskBatch';

/** what the port serves: the page's engine (engineWindow.ts), a fake in tests */
export interface PortEngine {
  start(): Promise<{ backend: string; adapter: EngineAdapter | null }>;
  createModel(config: EngineModelConfig, weightDecay?: number): void;
  stepWith(batches: TaskBatch[], settings: EngineStepSettings): Promise<Record<string, number>>;
  state(): Promise<{ weights: EngineWeightArray[]; optimizers: EngineOptimizerStates }>;
  setState(weights: EngineWeightArray[], optimizers?: EngineOptimizerStates): void;
}

/** the slice of a DOM MessagePort used here */
export interface PagePortLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  start(): void;
}

async function answer(engine: PortEngine, request: EngineRequest): Promise<EngineResponse> {
  const { id } = request;
  switch (request.type) {
    case 'start': {
      const started = await engine.start();
      if (!started.adapter) throw new Error('no WebGPU adapter in this window');
      return { id, ok: true, type: 'start', backend: started.backend, adapter: started.adapter };
    }
    case 'createModel':
      engine.createModel(request.config, request.weightDecay);
      return { id, ok: true, type: 'done' };
    case 'step':
      return { id, ok: true, type: 'step', losses: await engine.stepWith(request.batches as TaskBatch[], request.settings) };
    case 'state':
      return { id, ok: true, type: 'state', ...(await engine.state()) };
    case 'setState':
      engine.setState(request.weights, request.optimizers);
      return { id, ok: true, type: 'done' };
  }
}

function idOf(data: unknown): number | null {
  const id = (data as { id?: unknown } | null)?.id;
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : null;
}

/** Serves `engine` on `port` until the page goes away. */
export function serveEngineOnPort(port: PagePortLike, engine: PortEngine): void {
  let queue: Promise<void> = Promise.resolve();
  const post = (response: EngineResponse): void => {
    try {
      port.postMessage(response);
    } catch (error) {
      // an answer that cannot be cloned: say so instead of leaving the request unanswered
      port.postMessage({ id: response.id, ok: false, type: 'error', message: `the answer could not be sent: ${(error as Error).message}` } satisfies EngineResponse);
    }
  };
  port.addEventListener('message', (event) => {
    const parsed = engineRequestSchema.safeParse(event.data);
    if (!parsed.success) {
      post({ id: idOf(event.data), ok: false, type: 'error', message: `invalid request: ${firstIssue(parsed.error)}` });
      return;
    }
    const request = parsed.data;
    queue = queue.then(async () => {
      try {
        post(await answer(engine, request));
      } catch (error) {
        post({ id: request.id, ok: false, type: 'error', message: error instanceof Error ? error.message : String(error) });
      }
    });
  });
  port.start();
}
