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

/**
 * A cluster profile (Settings): where and how bundles are submitted. Holds no
 * secret: SSH uses the user's agent and keys, Kubernetes the kubeconfig.
 */
export const clusterProfileSchema = z
  .object({
    name: z.string().min(1).max(60).regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'letters, digits, space, . _ -'),
    kind: z.enum(['slurm', 'kubernetes']),
    /** slurm: submit over SSH (user@host); empty: sbatch on this machine */
    sshHost: z.string().max(200).default(''),
    /** slurm: SLURM_CONF for sbatch here (a cluster whose config is not the system's) */
    slurmConf: z.string().max(500).default(''),
    partition: z.string().max(100).default(''),
    nodes: z.number().int().min(1).max(4096).default(1),
    gpusPerNode: z.number().int().min(0).max(64).default(0),
    cpusPerTask: z.number().int().min(0).max(1024).default(0),
    /** interpreter with PyTorch on the compute nodes (in the container if one is set) */
    python: z.string().min(1).max(500).default('python3'),
    modules: z.array(z.string().min(1).max(200)).max(50).default([]),
    /** slurm: Apptainer image; kubernetes: container image */
    container: z.string().max(500).default(''),
    timeLimit: z.string().max(40).default(''),
    /** kubernetes */
    namespace: z.string().max(63).default('default'),
    claim: z.string().max(253).default(''),
    mountPath: z.string().max(500).default('/workspace'),
  })
  .strict();
export type ClusterProfile = z.output<typeof clusterProfileSchema>;

export const clusterApi = {
  'cluster/profiles': endpoint<ClusterProfile[]>()(z.object({}).strict()),
  /** saves (adds or replaces by name) a profile; returns them all */
  'cluster/saveProfile': endpoint<ClusterProfile[]>()(z.object({ profile: clusterProfileSchema }).strict()),
  'cluster/deleteProfile': endpoint<ClusterProfile[]>()(z.object({ name: z.string().min(1) }).strict()),
  /** The Python with PyTorch the trainer would use here (unavailable: none found, with the reason). */
  'cluster/python': endpoint<PythonTorchInfo>()(z.object({}).strict()),
  /** Bundles the run (data shards, weights, trainer) and starts it on the PyTorch trainer; resolves once registered. */
  'cluster/launch': endpoint<RunSummary>()(
    z
      .object({
        config: runConfigSchema,
        /** local: this machine; profile: the named cluster profile */
        on: z.enum(['local', 'profile']).default('local'),
        profile: z.string().min(1).optional(),
        nproc: z.number().int().min(1).max(64).default(1),
        threads: z.number().int().min(0).max(256).default(0),
      })
      .strict(),
  ),
};
