/** bundle.json: what a run bundle holds (main/cluster/runBundle.ts writes it, the trainer reads it). */
import type { UmedptModel } from '../engine/model/umedptModel';

export const bundleFormat = 'umedpt-bundle';

export interface BundleManifest {
  format: typeof bundleFormat;
  version: 1;
  createdAt: string;
  appVersion: string;
  runName: string;
  modelConfig: UmedptModel['config'];
  /** checkpoint key (model/<part>, head/<task>) -> tfjs weight names in checkpoint order */
  weightOrder: Record<string, string[]>;
  tasks: Array<{ name: string; kind: string; classNames: string[]; counts: Record<string, number> }>;
  normalization: string;
  /** init/ holds an app run's checkpoint whose optimizer and sampler state continue */
  continuesRun: string | null;
  images: number;
  dataBytes: number;
}
