import { describe, expect, it } from 'vitest';
import { sbatchScript } from '../../../main/cluster/slurmLauncher';

const request = { bundleDir: '/scratch/lab/bundle one', runFolder: '/scratch/lab/runs/run-1', nproc: 16, threads: 8 };

describe('sbatch script', () => {
  it('one task per GPU over the nodes, modules or a container, the trainer started by srun', () => {
    const script = sbatchScript({ nodes: 2, gpusPerNode: 8, cpusPerTask: 8, python: 'python3', modules: ['cuda/12.1', 'pytorch/2.3'], partition: 'gpu', timeLimit: '24:00:00' }, request, 'umedpt-run-1');
    expect(script).toContain('#SBATCH --nodes=2\n#SBATCH --ntasks-per-node=8');
    expect(script).toContain('#SBATCH --gpus-per-task=1');
    expect(script).toContain('#SBATCH --partition=gpu');
    expect(script).toContain('module load cuda/12.1\nmodule load pytorch/2.3');
    expect(script).toContain("export PYTHONPATH='/scratch/lab/bundle one/trainer'");
    expect(script).toMatch(/srun --kill-on-bad-exit=1 python3 -m umedpt_trainer train --bundle '\/scratch\/lab\/bundle one' --run-folder \/scratch\/lab\/runs\/run-1 --threads 8\n$/);
    const container = sbatchScript({ nodes: 1, gpusPerNode: 4, python: 'python3', modules: [], container: '/images/torch.sif' }, { ...request, nproc: 4 }, 'x');
    expect(container).toContain('srun --kill-on-bad-exit=1 apptainer exec --nv /images/torch.sif python3 -m umedpt_trainer train');
  });

  it('refuses ranks that do not fit the nodes or their GPUs', () => {
    expect(() => sbatchScript({ nodes: 3, gpusPerNode: 8, python: 'python3', modules: [] }, request, 'x')).toThrow(/split evenly/);
    expect(() => sbatchScript({ nodes: 1, gpusPerNode: 8, python: 'python3', modules: [] }, request, 'x')).toThrow(/16 ranks per node but 8 GPUs/);
  });
});
