/** `--on local|slurm|kubernetes` and their flags -> a launcher. */
import type { ClusterLauncher } from './launcher';
import { LocalLauncher } from './localLauncher';
import { findPythonTorch } from './pythonTorch';
import { SlurmLauncher } from './slurmLauncher';
import { KubernetesLauncher } from './kubernetesLauncher';

export const launchTargets = ['local', 'slurm', 'kubernetes'] as const;
export type LaunchTarget = (typeof launchTargets)[number];

export interface LaunchTargetSetup {
  launcher: ClusterLauncher;
  /** local: resolves when the trainer's processes ended */
  exited?: Promise<void>;
}

function text(flags: Map<string, string | true>, key: string): string | undefined {
  const v = flags.get(key);
  return typeof v === 'string' ? v : undefined;
}

export function clusterLauncherFor(on: LaunchTarget, flags: Map<string, string | true>, say: (line: string) => void): LaunchTargetSetup {
  if (on === 'local') {
    const found = findPythonTorch();
    say(`PyTorch ${found.torchVersion} on ${found.python} (Python ${found.pythonVersion}${found.cuda ? ', CUDA' : ', CPU: gloo'})`);
    for (const s of found.skipped) say(`  passed over ${s}`);
    let resolveExit: () => void = () => {};
    const exited = new Promise<void>((resolve) => (resolveExit = resolve));
    return { launcher: new LocalLauncher({ python: found.python, onExit: () => resolveExit() }), exited };
  }
  if (on === 'kubernetes') {
    const image = text(flags, 'image');
    const claim = text(flags, 'claim');
    if (!image || !claim) throw new Error('--on kubernetes needs --image <image with PyTorch> and --claim <PVC holding the bundle and the data folder> (--mount, default /workspace)');
    return {
      launcher: new KubernetesLauncher({
        namespace: text(flags, 'namespace') ?? 'default',
        image,
        claim,
        mountPath: text(flags, 'mount') ?? '/workspace',
        nodes: Number(text(flags, 'nodes') ?? 1),
        gpusPerNode: Number(text(flags, 'gpus-per-node') ?? 0),
        memory: text(flags, 'memory'),
      }),
    };
  }
  const python = text(flags, 'python') ?? (text(flags, 'ssh') || text(flags, 'container') ? 'python3' : findPythonTorch().python);
  return {
    launcher: new SlurmLauncher({
      sshHost: text(flags, 'ssh'),
      partition: text(flags, 'partition'),
      nodes: Number(text(flags, 'nodes') ?? 1),
      gpusPerNode: Number(text(flags, 'gpus-per-node') ?? 0),
      cpusPerTask: text(flags, 'cpus-per-task') ? Number(text(flags, 'cpus-per-task')) : undefined,
      python,
      modules: (text(flags, 'modules') ?? '').split(',').filter(Boolean),
      container: text(flags, 'container'),
      timeLimit: text(flags, 'time'),
    }),
  };
}
