/**
 * Slurm: a generated sbatch script (one task per rank, srun starts them and
 * the trainer reads SLURM_PROCID / SLURM_NTASKS / SLURM_LOCALID), submitted
 * with sbatch here or over SSH. The run folder lives on the cluster's shared
 * filesystem; the app reads it there (mounted) or fetches it.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { readMetricsLog } from '../runs/metricsLog';
import { trainerArgs, type ClusterJob, type ClusterJobState, type ClusterLauncher, type LaunchRequest } from './launcher';

const run = promisify(execFile);

export interface SlurmProfile {
  /** submit over SSH (user@host); absent: sbatch on this machine */
  sshHost?: string;
  partition?: string;
  nodes: number;
  /** 0: CPU job */
  gpusPerNode: number;
  cpusPerTask?: number;
  /** interpreter on the compute nodes (inside the container if one is given) */
  python: string;
  /** `module load` lines, e.g. ['cuda/12.1', 'python/3.11'] */
  modules: string[];
  /** an Apptainer/Singularity image with PyTorch; the job runs the trainer inside it */
  container?: string;
  /** --time, e.g. 24:00:00 */
  timeLimit?: string;
  /** extra environment for the submitting commands (e.g. SLURM_CONF) */
  env?: NodeJS.ProcessEnv;
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function sbatchScript(profile: SlurmProfile, request: LaunchRequest, jobName: string): string {
  if (request.nproc % profile.nodes !== 0) throw new Error(`--nproc ${request.nproc} does not split evenly over ${profile.nodes} node(s)`);
  const perNode = request.nproc / profile.nodes;
  const lines = [
    '#!/bin/bash',
    `#SBATCH --job-name=${jobName}`,
    `#SBATCH --nodes=${profile.nodes}`,
    `#SBATCH --ntasks-per-node=${perNode}`,
    `#SBATCH --output=${path.join(request.runFolder, 'slurm-%j.out')}`,
    '#SBATCH --signal=TERM@120',
  ];
  if (profile.partition) lines.push(`#SBATCH --partition=${profile.partition}`);
  if (profile.gpusPerNode > 0) {
    if (perNode > profile.gpusPerNode) throw new Error(`${perNode} ranks per node but ${profile.gpusPerNode} GPUs per node: one rank per GPU`);
    lines.push('#SBATCH --gpus-per-task=1');
  }
  if (profile.cpusPerTask) lines.push(`#SBATCH --cpus-per-task=${profile.cpusPerTask}`);
  if (profile.timeLimit) lines.push(`#SBATCH --time=${profile.timeLimit}`);
  lines.push('set -euo pipefail');
  for (const m of profile.modules) lines.push(`module load ${shellQuote(m)}`);
  lines.push(`export PYTHONPATH=${shellQuote(path.join(request.bundleDir, 'trainer'))}`, 'export PYTHONDONTWRITEBYTECODE=1');
  if (profile.cpusPerTask) lines.push(`export OMP_NUM_THREADS=${profile.cpusPerTask}`);
  const python = profile.container ? `apptainer exec ${profile.gpusPerNode > 0 ? '--nv ' : ''}${shellQuote(profile.container)} ${shellQuote(profile.python)}` : shellQuote(profile.python);
  lines.push(`cd ${shellQuote(request.bundleDir)}`);
  lines.push(`srun --kill-on-bad-exit=1 ${python} ${trainerArgs(request, 'train').map(shellQuote).join(' ')}`);
  return `${lines.join('\n')}\n`;
}

export class SlurmLauncher implements ClusterLauncher {
  constructor(private readonly profile: SlurmProfile) {}

  private async command(cmd: string, args: string[], input?: string): Promise<string> {
    const env = { ...process.env, ...this.profile.env };
    if (this.profile.sshHost) {
      const remote = [cmd, ...args].map(shellQuote).join(' ');
      if (input !== undefined) {
        const child = execFile('ssh', ['-o', 'BatchMode=yes', this.profile.sshHost, remote], { env });
        child.stdin?.end(input);
        return new Promise((resolve, reject) => {
          let out = '';
          child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
          child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`ssh ${this.profile.sshHost} ${cmd} exited with ${code}`))));
        });
      }
      return (await run('ssh', ['-o', 'BatchMode=yes', this.profile.sshHost, remote], { env })).stdout;
    }
    return (await run(cmd, args, { env })).stdout;
  }

  async launch(request: LaunchRequest): Promise<ClusterJob> {
    const script = sbatchScript(this.profile, request, `umedpt-${path.basename(request.runFolder)}`);
    let out: string;
    if (this.profile.sshHost) out = await this.command('sbatch', ['--parsable'], script);
    else {
      const file = path.join(request.runFolder, 'job.sbatch');
      writeFileSync(file, script);
      out = await this.command('sbatch', ['--parsable', file]);
    }
    const id = out.trim().split(';')[0] ?? '';
    if (!/^\d+$/.test(id)) throw new Error(`sbatch did not return a job id (got '${out.trim()}')`);
    return { on: 'slurm', id, runFolder: request.runFolder };
  }

  async status(job: ClusterJob): Promise<ClusterJobState> {
    const queued = (await this.command('squeue', ['-h', '-j', job.id, '-o', '%T']).catch(() => '')).trim();
    if (queued === 'PENDING' || queued === 'CONFIGURING') return 'pending';
    if (queued) return 'running';
    // left the queue: the trainer's own last state says how it ended (accounting may be off)
    const events = existsSync(path.join(job.runFolder, 'metrics.jsonl')) ? readMetricsLog(path.join(job.runFolder, 'metrics.jsonl')).events : [];
    const last = [...events].reverse().find((e) => e.type === 'state');
    if (last?.type === 'state' && (last.state === 'completed' || last.state === 'failed' || last.state === 'cancelled')) return last.state;
    return 'failed';
  }

  logs(job: ClusterJob): Promise<string> {
    const file = path.join(job.runFolder, `slurm-${job.id}.out`);
    return Promise.resolve(existsSync(file) ? readFileSync(file, 'utf8') : '');
  }

  async cancel(job: ClusterJob): Promise<void> {
    await this.command('scancel', ['--signal=TERM', '--full', job.id]);
  }

  async fetchResults(job: ClusterJob, into: string): Promise<void> {
    if (path.resolve(into) === path.resolve(job.runFolder)) return;
    if (this.profile.sshHost) await run('scp', ['-r', '-o', 'BatchMode=yes', `${this.profile.sshHost}:${job.runFolder}/.`, into]);
    else cpSync(job.runFolder, into, { recursive: true });
  }
}
