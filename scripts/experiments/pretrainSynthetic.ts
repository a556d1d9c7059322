/**
 * Experiment (docs/eval.md): pretrain the small CNN on some of the default
 * synthetic tasks (TASKS: indices into DEFAULT_SYNTHETIC_TASKS, 0
 * classification, 1 segmentation, 2 detection) and export its encoder to OUT.
 *   SIZE=64 STEPS=100 TASKS=2 OUT=/tmp/encoder npx tsx scripts/experiments/pretrainSynthetic.ts
 */
// pretrain on the three default synthetic tasks and export the encoder
import { initEngine } from '../../main/engine/backend/initEngine';
import { DEFAULT_SYNTHETIC_TASKS, generateSyntheticTask } from '../../main/engine/data/synthetic';
import { exportEncoder } from '../../main/engine/model/encoderExport';
import { createUmedptModel } from '../../main/engine/model/umedptModel';
import { MultiTaskTrainer } from '../../main/engine/train/multiTaskTrainer';
const size = Number(process.env.SIZE ?? 64);
const steps = Number(process.env.STEPS ?? 80);
const out = process.env.OUT!;
await initEngine({ forced: 'wasm' });
const t0 = Date.now();
const which = (process.env.TASKS ?? '0,1,2').split(',').map(Number);
const tasks = DEFAULT_SYNTHETIC_TASKS.filter((_, i) => which.includes(i)).map((s) => generateSyntheticTask(s, { size, counts: { train: Number(process.env.COUNT ?? 160), val: 0, test: 0 }, seed: 5 }));
const model = createUmedptModel({ encoder: 'small-cnn', inputSize: size, squeezerWidth: 32, tasks: tasks.map((t) => ({ name: t.name, kind: t.kind, numClasses: t.classNames.length })), seed: 1 });
const trainer = new MultiTaskTrainer(model, tasks, { batchSize: 8, learningRate: Number(process.env.LR ?? 2e-3), seed: 1 });
await trainer.train({ steps, validate: false, onEvent: (e) => { if (e.type === 'step' && e.step % 20 === 0) console.log(e.step, JSON.stringify(e.taskLosses), ((Date.now() - t0) / 1000).toFixed(0) + 's'); } });
await exportEncoder(model, out);
console.log('pretraining', ((Date.now() - t0) / 1000).toFixed(0), 's');
process.exit(0);
