/** The README.md of a run bundle: what is inside and how a lab runs it. */
import type { BundleManifest } from './bundleManifest';

export function bundleReadme(m: BundleManifest): string {
  const S = m.modelConfig.inputSize;
  return `# UMedPT run bundle: ${m.runName}

Made by UMedPT Studio ${m.appVersion} on ${m.createdAt}. Encoder ${m.modelConfig.encoder}, input ${S}x${S},
${m.tasks.length} task(s), ${m.images} images.${m.continuesRun ? ` Continues the app's run ${m.continuesRun} from its latest checkpoint.` : ''}

## Check it

    sha256sum -c MANIFEST.sha256

## Run it (Python >= 3.10, PyTorch >= 1.13, numpy)

    cd <this folder>
    # one process (CPU or one GPU)
    PYTHONPATH=trainer python3 -m umedpt_trainer train --bundle . --run-folder run
    # N processes on this machine (no torchrun needed)
    PYTHONPATH=trainer python3 -m umedpt_trainer spawn --nproc 4 --bundle . --run-folder run
    # torchrun (env://), e.g. 8 GPUs per node
    PYTHONPATH=trainer torchrun --nproc-per-node 8 -m umedpt_trainer train --bundle . --run-folder run
    # Slurm: one task per GPU; ranks come from SLURM_PROCID / SLURM_NTASKS / SLURM_LOCALID
    srun --ntasks-per-node 8 --gpus-per-task 1 env PYTHONPATH=trainer python3 -m umedpt_trainer train --bundle . --run-folder run

Add \`--resume\` to continue from run/checkpoints/latest. SIGTERM (scancel, kill) stops after the current
step with a checkpoint. Every rank takes its share of each task's batch; batch sizes in config.json are global.

## What it writes (the app's run-folder format)

run/metrics.jsonl (one event per line), run/progress.json, run/heartbeat.json, run/log.txt,
run/checkpoints/latest and best (checkpoint.json + tensors.bin, tfjs layouts). Copy or mount the run folder
into the app's data folder (\`umedpt runs\` lists it after \`umedpt launch\` or an import) to follow it live,
see its curves and results, and export the encoder with \`umedpt export\`.

## Data

data/index.json lists for every task and split the shard files, the labels (classification) and boxes
(detection, pixels of the resized image: x, y, w, h, classId). Images: ${m.normalization}.
Masks: uint8 class ids (0 = background). Augmentations (config.json, augmentation) are applied by the trainer
with the app's seeded draws.
`;
}
