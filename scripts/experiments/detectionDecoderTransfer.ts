/**
 * Experiment (docs/eval.md): would carrying the pretrained detection decoder
 * over (not only the encoder, as studies do) make detection pretraining pay
 * off? Pretrains on synthetic cell-type boxes at 64 px, then fine-tunes /
 * trains frozen on 10 % of other images from random, encoder-only and
 * encoder + decoder starts, 2 seeds each.
 *   PRESTEPS=100 npx tsx scripts/experiments/detectionDecoderTransfer.ts
 */
// does carrying the detection decoder over (not only the encoder) make detection pretraining pay off?
import { initEngine } from '../../main/engine/backend/initEngine';
import { generateSyntheticTask } from '../../main/engine/data/synthetic';
import { createUmedptModel, type UmedptModel } from '../../main/engine/model/umedptModel';
import { MultiTaskTrainer } from '../../main/engine/train/multiTaskTrainer';
import { evaluateTask } from '../../main/engine/train/prediction';
import { labelFractionSubsets } from '../../main/studies/labelFractionSubsets';
await initEngine({ forced: 'wasm' });
const size = 64;
const t0 = Date.now();
const pre = generateSyntheticTask({ name: 'det', kind: 'detection', rule: 'cellType' }, { size, counts: { train: 160, val: 0, test: 0 }, seed: 5 });
const down = generateSyntheticTask({ name: 'det', kind: 'detection', rule: 'cellType' }, { size, counts: { train: 200, val: 0, test: 60 }, seed: 9 });
const make = (seed: number) => createUmedptModel({ encoder: 'small-cnn', inputSize: size, squeezerWidth: 32, tasks: [{ name: 'det', kind: 'detection', numClasses: 3 }], seed });
const pretrained = make(1);
const pt = new MultiTaskTrainer(pretrained, [pre], { batchSize: 8, learningRate: 2e-3, seed: 1 });
await pt.train({ steps: Number(process.env.PRESTEPS ?? 100), validate: false, onEvent: (e) => { if (e.type === 'step' && e.step % 20 === 0) console.log('pre', e.step, e.taskLosses.det!.toFixed(3), ((Date.now() - t0) / 1000).toFixed(0) + 's'); } });
console.log('pretrained on its own train', JSON.stringify(evaluateTask(pretrained, 'det', down.test, { classNames: down.classNames }).values));
function copy(from: UmedptModel, to: UmedptModel, decoder: boolean) {
  to.encoder.model.setWeights(from.encoder.model.getWeights());
  to.squeezer.setWeights(from.squeezer.getWeights());
  if (decoder) to.detectionDecoder!.model.setWeights(from.detectionDecoder!.model.getWeights());
}
const items = down.train.map(() => ({ stratum: 0, group: null }));
for (const variant of ['random', 'encoder', 'encoder+decoder'] as const) {
  for (const mode of ['frozen', 'finetune'] as const) {
    const scores: number[] = [];
    for (let seed = 0; seed < 2; seed++) {
      const subset = labelFractionSubsets(items, [10], seed)[0]!;
      const m = make(seed);
      if (variant !== 'random') copy(pretrained, m, variant === 'encoder+decoder');
      if (mode === 'frozen') { m.encoder.model.trainable = false; m.squeezer.trainable = false; }
      const train = subset.indices.map((i) => down.train[i]!);
      const tr = new MultiTaskTrainer(m, [{ ...down, train }], { batchSize: 8, learningRate: 1e-3, seed });
      await tr.train({ steps: 30, validate: false });
      scores.push(evaluateTask(m, 'det', down.test, { classNames: down.classNames }).values.map50!);
      tr.dispose(); m.dispose();
    }
    console.log(variant, mode, scores.map((s) => s.toFixed(3)).join(' '), ((Date.now() - t0) / 1000).toFixed(0) + 's');
  }
}
process.exit(0);
