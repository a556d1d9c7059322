// Writes the run config (pretraining on three tasks) or the study config (the
// fourth task downstream) of one leave-one-task-out study, for docs/studies/run-all.sh.
// usage: node loto-configs.mjs pretrain <held-out> <scale> <datasets.json> [steps]
//        node loto-configs.mjs study <held-out> <scale> <datasets.json> <run-id> [label]
// <datasets.json> is `umedpt datasets --json`: dataset ids are looked up by name.
import { readFileSync } from 'node:fs';

/** The four real tasks, by the catalog name their folder gets on import. */
const tasks = {
  bccd: { kind: 'detection', name: 'BCCD cells' },
  'isbi2012-em': { kind: 'segmentation', name: 'ISBI-2012 membranes' },
  retinamnist: { kind: 'classification', name: 'RetinaMNIST grade' },
  breastmnist: { kind: 'classification', name: 'BreastMNIST malignancy' },
};

/**
 * small: what a shared 2-core machine finishes in about an hour for all four studies.
 * medium: twice the input side and four times the pretraining, for a quiet machine.
 */
const scales = {
  small: { inputSize: 32, squeezerWidth: 128, steps: 300, pretrainBatch: 8, study: { epochs: 1, minSteps: 20, batchSize: 8 } },
  medium: { inputSize: 64, squeezerWidth: 128, steps: 1200, pretrainBatch: 8, study: { epochs: 3, minSteps: 40, batchSize: 8 } },
};

const [what, heldOut, scaleName, datasetsFile, ...rest] = process.argv.slice(2);
const fail = (message) => {
  process.stderr.write(`loto-configs: ${message}\n`);
  process.exit(2);
};
if (!tasks[heldOut]) fail(`unknown held-out task "${heldOut}" (one of ${Object.keys(tasks).join(', ')})`);
const scale = scales[scaleName];
if (!scale) fail(`unknown scale "${scaleName}" (one of ${Object.keys(scales).join(', ')})`);
const datasets = JSON.parse(readFileSync(datasetsFile, 'utf8'));
const idOf = (name) => {
  const found = datasets.find((d) => d.name === name && d.state === 'ready');
  if (!found) fail(`${datasetsFile}: no ready dataset named "${name}" in the catalog`);
  return found.id;
};

let config;
if (what === 'pretrain') {
  const steps = rest[0] ? Number(rest[0]) : scale.steps;
  const others = Object.keys(tasks).filter((t) => t !== heldOut);
  config = {
    name: `LOTO pretraining without ${heldOut} (${scaleName}, ${steps} steps)`,
    tasks: others.map((t) => ({ name: t, kind: tasks[t].kind, source: { kind: 'catalog', datasetId: idOf(t) }, batchSize: scale.pretrainBatch })),
    model: { encoder: 'small-cnn', inputSize: scale.inputSize, squeezerWidth: scale.squeezerWidth },
    optimizer: { kind: 'adamw', learningRate: 0.002, weightDecay: 0.01 },
    schedule: { kind: 'cosine', warmupSteps: 20 },
    steps,
    augmentation: { horizontalFlip: true, verticalFlip: true, rotate90: true },
    backend: 'wasm',
    seed: 42,
  };
} else if (what === 'study') {
  const [runId, label] = rest;
  if (!runId) fail('study needs the pretraining run id');
  const others = Object.keys(tasks).filter((t) => t !== heldOut);
  config = {
    name: `${tasks[heldOut].name}: pretrained on ${others.join(' + ')} vs random (${scaleName})`,
    encoders: [
      { kind: 'run', runId, checkpoint: 'latest', label: label ?? `pretrained on the other three` },
      { kind: 'random', encoder: 'small-cnn', squeezerWidth: scale.squeezerWidth, label: 'random initialisation' },
    ],
    task: { name: tasks[heldOut].name, kind: tasks[heldOut].kind, source: { kind: 'catalog', datasetId: idOf(heldOut) } },
    fractions: [1, 5, 10, 25, 50, 100],
    seeds: 3,
    // LOTO_MODES=frozen narrows a study to the frozen mode (the cheap ablation in docs/eval.md)
    modes: process.env.LOTO_MODES ? process.env.LOTO_MODES.split(',') : ['frozen', 'finetune'],
    inputSize: scale.inputSize,
    linearEpochs: 200,
    ...scale.study,
    learningRate: 0.001,
    backend: 'wasm',
  };
} else fail(`first argument: pretrain or study, not "${what}"`);
process.stdout.write(`${JSON.stringify(config, null, 2)}\n`);
