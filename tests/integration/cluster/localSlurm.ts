/**
 * A single-node Slurm on localhost for tests: munged (as user munge, own
 * socket) + slurmctld + slurmd with a generated slurm.conf in a temp folder
 * (SlurmctldHost = this host, proctrack/linuxproc, task/none,
 * select/cons_tres, random ports), stopped and removed by stop(). Returns the
 * reason instead where it cannot run (no Slurm, not root).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface LocalSlurm {
  conf: string;
  env: NodeJS.ProcessEnv;
  stop(): void;
}

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

export async function startLocalSlurm(): Promise<{ slurm: LocalSlurm | null; reason: string }> {
  for (const cmd of ['munged', 'slurmctld', 'slurmd', 'sbatch', 'runuser']) if (!has(cmd)) return { slurm: null, reason: `${cmd} is not installed (apt-get install slurm-wlm munge)` };
  if (process.getuid?.() !== 0) return { slurm: null, reason: 'starting munged and slurmd needs root' };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'umedpt-slurm-'));
  chmodSync(dir, 0o755);
  const munge = path.join(dir, 'munge');
  mkdirSync(munge);
  const uid = Number(execFileSync('id', ['-u', 'munge'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'munge'], { encoding: 'utf8' }).trim());
  chownSync(munge, uid, gid);
  chmodSync(munge, 0o755);
  let key = '/etc/munge/munge.key';
  if (!existsSync(key)) {
    key = path.join(munge, 'munge.key');
    writeFileSync(key, Buffer.from(Array.from({ length: 128 }, () => Math.floor(Math.random() * 256))));
    chownSync(key, uid, gid);
    chmodSync(key, 0o600);
  }
  const socket = path.join(munge, 'munge.socket');
  execFileSync('runuser', ['-u', 'munge', '--', 'munged', `--socket=${socket}`, `--key-file=${key}`, `--pid-file=${munge}/munged.pid`, `--log-file=${munge}/munged.log`, `--seed-file=${munge}/munged.seed`]);
  const host = os.hostname().split('.')[0]!;
  const node = execFileSync('slurmd', ['-C'], { encoding: 'utf8' }).split('\n')[0]!.replace(/^NodeName=\S+/, `NodeName=${host}`);
  const base = 20000 + Math.floor(Math.random() * 20000);
  for (const d of ['state', 'spool']) mkdirSync(path.join(dir, d));
  const conf = path.join(dir, 'slurm.conf');
  writeFileSync(
    conf,
    [
      'ClusterName=umedpttest',
      `SlurmctldHost=${host}`,
      'SlurmUser=root',
      'SlurmdUser=root',
      `SlurmctldPort=${base}`,
      `SlurmdPort=${base + 1}`,
      'AuthType=auth/munge',
      'CredType=cred/munge',
      `AuthInfo=socket=${socket}`,
      `StateSaveLocation=${dir}/state`,
      `SlurmdSpoolDir=${dir}/spool`,
      `SlurmctldPidFile=${dir}/slurmctld.pid`,
      `SlurmdPidFile=${dir}/slurmd.pid`,
      `SlurmctldLogFile=${dir}/slurmctld.log`,
      `SlurmdLogFile=${dir}/slurmd.log`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core',
      'MpiDefault=none',
      'ReturnToService=2',
      'SchedulerType=sched/builtin',
      'JobCompType=jobcomp/none',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'KillWait=10',
      `${node} State=UNKNOWN`,
      `PartitionName=debug Nodes=${host} Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES`,
      '',
    ].join('\n'),
  );
  const env = { ...process.env, SLURM_CONF: conf };
  const stop = (): void => {
    const pids = [`${dir}/slurmd.pid`, `${dir}/slurmctld.pid`, `${munge}/munged.pid`].flatMap((f) => (existsSync(f) ? [Number(readFileSync(f, 'utf8').trim())] : []));
    spawnSync('scontrol', ['shutdown'], { env, timeout: 30000 });
    const alive = (pid: number): boolean => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (const pid of pids) {
      if (alive(pid)) process.kill(pid, 'SIGTERM');
      // wait (at most 15 s each) so nothing writes into the folder once it is removed
      for (let i = 0; i < 150 && alive(pid); i++) spawnSync('sleep', ['0.1']);
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    execFileSync('slurmctld', ['-f', conf], { env });
    execFileSync('slurmd', ['-f', conf], { env });
    for (let i = 0; i < 60; i++) {
      const state = spawnSync('sinfo', ['-h', '-o', '%t'], { env, encoding: 'utf8' }).stdout.trim();
      if (state === 'idle') return { slurm: { conf, env, stop }, reason: '' };
      await new Promise((r) => setTimeout(r, 1000));
    }
    const logs = ['slurmctld.log', 'slurmd.log'].map((f) => (existsSync(path.join(dir, f)) ? readFileSync(path.join(dir, f), 'utf8').slice(-1500) : '')).join('\n');
    stop();
    throw new Error(`the local Slurm node did not become idle within 60 s:\n${logs}`);
  } catch (error) {
    stop();
    throw error;
  }
}
