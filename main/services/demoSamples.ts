/**
 * The small real samples shipped in resources/samples and the run tasks the
 * demo makes of them: one home for `umedpt demo` and the app's "Try the demo".
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const resources = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'resources');
export const demoConfigFile = path.join(resources, 'demo', 'demo-config.json');
export const samplesDir = path.join(resources, 'samples');

/** The real samples and the run task each becomes (with --with-real in the CLI, always in the app). */
export const realSamples = [
  { path: 'bccd/BCCD', name: 'BCCD blood cells (sample)', task: 'bccd-boxes', kind: 'detection', batchSize: 4 },
  { path: 'isbi2012-em', name: 'ISBI-2012 EM membranes (sample)', task: 'em-membranes', kind: 'segmentation', batchSize: 2 },
  { path: 'retinamnist/retinamnist.npz', name: 'RetinaMNIST (sample)', task: 'retina-grade', kind: 'classification', batchSize: 8 },
] as const;

/**
 * The demo on a software WebGPU adapter (SwiftShader, llvmpipe: WebGPU run on
 * the CPU, used only when webgpu is forced). The same engine code trains, but
 * at the demo's own 64 px and 48 images a step such an adapter needs minutes
 * per step (docs/engine.md, "Speed"), so the demo shrinks its work and says so in
 * the run's name and the output.
 */
export const softwareAdapterDemo = { inputSize: 32, batchSize: 2, validationImages: 16 } as const;

interface DemoConfigShape {
  name?: string;
  model?: { inputSize?: number };
  tasks: Array<{ batchSize?: number; source: { kind: string; counts?: { train: number; val: number; test: number } } }>;
}

/** The demo config for a software adapter (a new object) and the one-line note that says what changed. */
export function demoForSoftwareAdapter<T extends DemoConfigShape>(config: T, adapterName: string): { config: T; note: string } {
  const { inputSize, batchSize, validationImages } = softwareAdapterDemo;
  const note = `software WebGPU adapter (${adapterName}): the demo trains at ${inputSize} px, batch ${batchSize} per task, ${validationImages} validation images per synthetic task`;
  return {
    note,
    config: {
      ...config,
      name: `${config.name ?? 'demo'} (software WebGPU: ${inputSize} px, batch ${batchSize})`,
      model: { ...config.model, inputSize },
      tasks: config.tasks.map((t) => ({
        ...t,
        batchSize,
        source: t.source.kind === 'synthetic' && t.source.counts ? { ...t.source, counts: { ...t.source.counts, val: Math.min(t.source.counts.val, validationImages) } } : t.source,
      })),
    },
  };
}
