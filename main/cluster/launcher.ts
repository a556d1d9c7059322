/**
 * One interface over the places a bundle can train: this machine (spawn
 * launcher or torchrun), Slurm (sbatch, locally or over SSH), Kubernetes
 * (a Job applied through the official client). Each launch writes into a run
 * folder the app reads; `fetchResults` brings that folder home where it is
 * not on a shared filesystem.
 */
export type ClusterJobState = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled' | 'unknown';

export interface LaunchRequest {
  /** the bundle folder, as the machine that trains sees it */
  bundleDir: string;
  /** the run folder, as the machine that trains sees it */
  runFolder: string;
  /** processes (ranks) in all */
  nproc: number;
  resume?: boolean;
  /** torch threads per rank (0 = PyTorch's default) */
  threads?: number;
  /** override the config's length */
  steps?: number;
}

export interface ClusterJob {
  on: 'local' | 'slurm' | 'kubernetes';
  /** pid, Slurm job id or Kubernetes job name */
  id: string;
  runFolder: string;
}

export interface ClusterLauncher {
  launch(request: LaunchRequest): Promise<ClusterJob>;
  status(job: ClusterJob): Promise<ClusterJobState>;
  logs(job: ClusterJob): Promise<string>;
  cancel(job: ClusterJob): Promise<void>;
  /** copies the remote run folder into `into` (a no-op on a shared filesystem) */
  fetchResults(job: ClusterJob, into: string): Promise<void>;
}

/** the trainer's command line for one rank or the spawn launcher */
export function trainerArgs(request: LaunchRequest, mode: 'train' | 'spawn'): string[] {
  const args = ['-m', 'umedpt_trainer', mode, '--bundle', request.bundleDir, '--run-folder', request.runFolder];
  if (mode === 'spawn') args.push('--nproc', String(request.nproc));
  if (request.resume) args.push('--resume');
  if (request.threads) args.push('--threads', String(request.threads));
  if (request.steps) args.push('--steps', String(request.steps));
  return args;
}
