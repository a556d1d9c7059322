/**
 * The engine in a Chromium page (the desktop app's hidden engine window, or
 * headless Chromium in the e2e test): the same model, loss, optimizer and
 * memory-decoupled step as the training process, on Chromium's own WebGPU.
 * Bundled for the browser (no Node modules). The page is fed batches and
 * answers with losses, weights and predictions as plain arrays, so whoever
 * drives it (the training process over a MessagePort, the test over
 * playwright) writes checkpoints in the engine's format.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgpu';
// tfjs-layers registers the gradients of tfjs-core's ops (see initEngine)
import '@tensorflow/tfjs-layers';
import { createUmedptModel, type UmedptModel, type UmedptModelConfig } from '../model/umedptModel';
import { AdamW } from '../train/adamw';
import { decoupledStepAsync, type StepOptimizers } from '../train/decoupledStep';
import type { TaskBatch } from '../train/taskBatch';
import { registerWebgpuKernelFixes } from '../backend/webgpuKernelFixes';
import { softwareAdapterPattern } from '../../../shared/backendChoice';
import { assignModelWeights, modelWeightArrays, type WeightArray } from './modelWeights';
import { engineWindowPortMessage } from './engineWindowChannels';
import { type EngineAdapter, type EngineOptimizerStates, type EngineStepSettings } from './engineWindowProtocol';
import { serveEngineOnPort, type PagePortLike, type PortEngine } from './engineWindowPort';

export type PageAdapter = EngineAdapter;

export interface EngineWindowApi extends PortEngine {
  /** starts tfjs on Chromium's WebGPU; the adapter it got */
  start(): Promise<{ backend: string; adapter: PageAdapter | null }>;
  createModel(config: UmedptModelConfig, weightDecay?: number): void;
  /** one decoupled step over the batches (one per task); each task's loss */
  step(batches: TaskBatch[], learningRate: number): Promise<Record<string, number>>;
  /** every weight, keyed as in the engine's checkpoints */
  weights(): Promise<WeightArray[]>;
  /** class probabilities of a classification task for NHWC images */
  predictClassification(task: string, images: number[], count: number): Promise<number[]>;
}

let model: UmedptModel | null = null;
let optimizers: StepOptimizers | null = null;
let steps = 0;

function current(): UmedptModel {
  if (!model) throw new Error('engine window: createModel first');
  return model;
}

export const engineWindow: EngineWindowApi = {
  async start() {
    type PageGpu = { requestAdapter(): Promise<{ info: { vendor: string; architecture: string; description: string; isFallbackAdapter?: boolean } } | null> };
    const gpu = (globalThis as { navigator?: { gpu?: PageGpu } }).navigator?.gpu;
    const adapter = gpu ? await gpu.requestAdapter() : null;
    if (!adapter || !(await tf.setBackend('webgpu'))) throw new Error(`engine window: no WebGPU in this Chromium (${adapter ? 'the webgpu backend failed to start' : 'no adapter'})`);
    await tf.ready();
    registerWebgpuKernelFixes();
    const { vendor, architecture, description } = adapter.info;
    const software = Boolean(adapter.info.isFallbackAdapter) || softwareAdapterPattern.test(`${description} ${architecture}`);
    return { backend: tf.getBackend(), adapter: { vendor, architecture, description, software } };
  },
  createModel(config, weightDecay?: number) {
    model?.dispose();
    model = createUmedptModel(config);
    const adam = weightDecay === undefined ? {} : { weightDecay };
    optimizers = {
      shared: new AdamW(model.sharedVariables(), adam),
      heads: new Map(config.tasks.map((t) => [t.name, new AdamW(model!.headVariables(t.name), adam)])),
    };
    steps = 0;
  },
  async step(batches, learningRate) {
    const m = current();
    const revived = batches.map(reviveBatch);
    const outcome = await decoupledStepAsync(m, revived, optimizers!, { learningRate, headLearningRate: learningRate, dropoutSeeds: revived.map((_, t) => steps * 31 + t) });
    steps++;
    return outcome.losses;
  },
  async stepWith(batches, settings: EngineStepSettings) {
    const revived = batches.map(reviveBatch);
    const outcome = await decoupledStepAsync(current(), revived, optimizers!, settings);
    steps++;
    return outcome.losses;
  },
  async weights() {
    return modelWeightArrays(current());
  },
  async state() {
    const m = current();
    const read = async (o: AdamW) => {
      const s = o.getState();
      return { steps: s.steps, m: (await Promise.all(s.m.map((t) => t.data()))) as Float32Array[], v: (await Promise.all(s.v.map((t) => t.data()))) as Float32Array[] };
    };
    const heads: EngineOptimizerStates['heads'] = {};
    for (const [task, o] of optimizers!.heads) heads[task] = await read(o);
    return { weights: await modelWeightArrays(m), optimizers: { shared: await read(optimizers!.shared), heads } };
  },
  setState(weights, states) {
    const m = current();
    assignModelWeights(m, new Map(weights.map((w) => [w.key, w])), 'engine window: setState');
    if (!states) return;
    optimizers!.shared.setState(states.shared);
    for (const [task, o] of optimizers!.heads) {
      const s = states.heads[task];
      if (!s) throw new Error(`engine window: setState has no optimizer state for task '${task}'`);
      o.setState(s);
    }
  },
  async predictClassification(task, images, count) {
    const m = current();
    const size = m.config.inputSize;
    const probs = tf.tidy(() => {
      const out = m.forward(task, tf.tensor4d(Float32Array.from(images), [count, size, size, 3]));
      if (out.kind !== 'classification') throw new Error(`task ${task} is not a classification task`);
      return tf.softmax(out.logits);
    });
    const values = Array.from(await probs.data());
    probs.dispose();
    return values;
  },
};

/** typed arrays arrive as plain arrays over structured clone / JSON */
function reviveBatch(batch: TaskBatch): TaskBatch {
  const images = Float32Array.from(batch.images as ArrayLike<number>);
  if (batch.kind === 'segmentation') return { ...batch, images, masks: Uint8Array.from(batch.masks as ArrayLike<number>) };
  return { ...batch, images };
}

(globalThis as { umedptEngine?: EngineWindowApi }).umedptEngine = engineWindow;

/**
 * In the desktop app's engine window the preload hands over the port to the
 * training process with a window message from our own origin (a
 * contextIsolation preload cannot pass a MessagePort through contextBridge);
 * anything else posted to the window is ignored.
 */
const pageWindow = globalThis as unknown as { addEventListener?: (type: 'message', listener: (event: { data: unknown; source: unknown; origin: string; ports: readonly PagePortLike[] }) => void) => void; location?: { origin: string } };
pageWindow.addEventListener?.('message', (event) => {
  if (event.source !== globalThis || event.origin !== pageWindow.location?.origin || event.data !== engineWindowPortMessage) return;
  const port = event.ports[0];
  if (port) serveEngineOnPort(port, engineWindow);
});
