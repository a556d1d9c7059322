/**
 * Runs trained by the PyTorch trainer (main/cluster): here with N processes,
 * later on a cluster profile. The run is an ordinary run of the app (same
 * RunSummary, same 'runs/event' stream); bundle progress arrives as its log.
 */
import { z } from 'zod';
import { endpoint } from './endpoint';
import { runConfigSchema } from '../runConfig';
import type { RunSummary } from './runs';

export interface PythonTorchInfo {
  python: string;
  pythonVersion: string;
  torchVersion: string;
  cuda: boolean;
}

export const clusterApi = {
  /** The Python with PyTorch the trainer would use here (unavailable: none found, with the reason). */
  'cluster/python': endpoint<PythonTorchInfo>()(z.object({}).strict()),
  /** Bundles the run (data shards, weights, trainer) and starts it on the PyTorch trainer; resolves once registered. */
  'cluster/launch': endpoint<RunSummary>()(
    z
      .object({
        config: runConfigSchema,
        on: z.literal('local').default('local'),
        nproc: z.number().int().min(1).max(64).default(1),
        threads: z.number().int().min(0).max(256).default(0),
      })
      .strict(),
  ),
};
