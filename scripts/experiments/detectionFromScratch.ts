/**
 * Experiment (docs/eval.md, synthetic task-kind studies): does the detection
 * head + FCOS loss + mAP learn at all from random initialisation, on an easy
 * synthetic set? Trains one detection task from scratch and prints the loss
 * every 25 steps and mAP on held-out and training images.
 *   SIZE=64 RULE=anyCell STEPS=200 npx tsx scripts/experiments/detectionFromScratch.ts
 */
import { initEngine } from '../../main/engine/backend/initEngine';
import { generateSyntheticTask } from '../../main/engine/data/synthetic';
import { createUmedptModel } from '../../main/engine/model/umedptModel';
import { MultiTaskTrainer } from '../../main/engine/train/multiTaskTrainer';
import { evaluateTask } from '../../main/engine/train/prediction';
const size = Number(process.env.SIZE ?? 64);
const rule = (process.env.RULE ?? 'anyCell') as 'anyCell' | 'cellType';
const lr = Number(process.env.LR ?? 1e-3);
const steps = Number(process.env.STEPS ?? 200);
await initEngine({ forced: 'wasm' });
const task = generateSyntheticTask({ name: 'det', kind: 'detection', rule }, { size, counts: { train: 200, val: 0, test: 40 }, seed: 9 });
const model = createUmedptModel({ encoder: 'small-cnn', inputSize: size, squeezerWidth: 32, tasks: [{ name: 'det', kind: 'detection', numClasses: task.classNames.length }], seed: 1 });
console.log('levels', JSON.stringify(model.detectionLevels()), 'box sizes', task.train.slice(0, 4).map((s) => s.boxes!.map((b) => `${b.w}x${b.h}`).join(',')).join(' | '));
const trainer = new MultiTaskTrainer(model, [task], { batchSize: 8, learningRate: lr, seed: 1 });
const t0 = Date.now();
let acc = 0;
await trainer.train({ steps, validate: false, onEvent: (e) => { if (e.type === 'step') { acc += e.taskLosses.det!; if (e.step % 25 === 0) { console.log(`step ${e.step} loss ${(acc / 25).toFixed(3)} ${((Date.now() - t0) / 1000).toFixed(0)}s`); acc = 0; } } } });
const m = evaluateTask(model, 'det', task.test, { classNames: task.classNames });
console.log('test', JSON.stringify(m.values));
const mt = evaluateTask(model, 'det', task.train.slice(0, 40), { classNames: task.classNames });
console.log('train', JSON.stringify(mt.values));
process.exit(0);
