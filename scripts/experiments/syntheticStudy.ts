/**
 * Experiment (docs/eval.md): one label-efficiency study of an exported
 * encoder (ENC) against random initialisation on a synthetic variant, with
 * the study's own code (runStudy), printing every row and the curves.
 *   ENC=/tmp/encoder SIZE=64 SEEDS=3 MODES=frozen npx tsx scripts/experiments/syntheticStudy.ts
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initEngine } from '../../main/engine/backend/initEngine';
import { loadStudyTask } from '../../main/studies/studyTaskData';
import { runStudy } from '../../main/studies/runStudy';
import { aggregateCurves } from '../../main/studies/studyCurves';
import { evalConfigSchema } from '../../shared/api/eval';
await initEngine({ forced: 'wasm' });
const enc = process.env.ENC!;
const kind = (process.env.KIND ?? 'detection') as 'detection' | 'classification';
const variant = process.env.VARIANT ?? 'cell-detection';
const metric = process.env.METRIC ?? 'map50';
const t0 = Date.now();
const config = evalConfigSchema.parse({
  encoders: [{ kind: 'exported', dir: enc, label: 'pretrained' }, { kind: 'random', encoder: 'small-cnn', squeezerWidth: 32, label: 'random init' }],
  task: { name: 'down', kind, source: { kind: 'synthetic', variant, counts: { train: 200, test: Number(process.env.TEST ?? 60) }, seed: 9 } },
  fractions: [Number(process.env.FRACTION ?? 10)],
  seeds: Number(process.env.SEEDS ?? 2),
  modes: (process.env.MODES ?? 'frozen,finetune').split(','),
  inputSize: Number(process.env.SIZE ?? 64),
  linearEpochs: 300,
  epochs: 1,
  minSteps: Number(process.env.MINSTEPS ?? 30),
  batchSize: 8,
  learningRate: Number(process.env.LR ?? 1e-3),
  ...(process.env.ELR ? { encoderLearningRate: Number(process.env.ELR) } : {}),
});
const dir = mkdtempSync(path.join(tmpdir(), 'umedpt-synthetic-study-'));
const { rows } = await runStudy(config, await loadStudyTask(config, dir), dir, { onRow: (r) => console.log(r.encoder, r.mode, r.seed, JSON.stringify(r.metrics), r.seconds.toFixed(0) + 's') });
for (const c of aggregateCurves(rows, metric)) console.log(c.mode, c.encoder, c.points.map((p) => `${p.fraction}%: ${p.mean.toFixed(3)} [${p.min.toFixed(3)}-${p.max.toFixed(3)}]`).join(' '));
console.log('total', ((Date.now() - t0) / 1000).toFixed(0), 's');
process.exit(0);
