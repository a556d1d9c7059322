import { z } from 'zod';
import { endpoint } from './endpoint';
import type { RunSummary } from './runs';

export interface DemoStarted {
  /** the catalog datasets the samples became (imported now or found from an earlier demo) */
  datasetIds: number[];
  run: RunSummary;
}

export const demoApi = {
  /**
   * What `umedpt demo --with-real` does, from the app: imports the real samples shipped in
   * resources/samples (skipping any already imported) and launches a short run on them.
   */
  'demo/start': endpoint<DemoStarted>()(z.object({ steps: z.number().int().min(1).max(100000).default(60) }).strict()),
};
