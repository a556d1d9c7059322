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
