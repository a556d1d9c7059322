/**
 * Fine-tuned classification, the case the three-task study in
 * taskKindStudies.test.ts cannot separate: an encoder pretrained on one
 * synthetic classification rule (which cell type dominates) is fine-tuned on
 * the same rule on other images (another data seed) from 10 % of 200
 * training images, against random initialisation with the same budget. The
 * study's fine-tuning starts the head from a linear probe on the subset and
 * moves the encoder at a tenth of the head's learning rate (runStudy.ts);
 * with those defaults the pretrained encoder keeps its lead when fine-tuned,
 * and random initialisation stays near chance. Small on purpose: 32 px, the
 * small CNN, fixed seeds, 5 downstream seeds and 150 test images so the gap
 * is not one lucky seed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../main/engine/backend/initEngine';
import { DEFAULT_SYNTHETIC_TASKS, generateSyntheticTask } from '../../../main/engine/data/synthetic';
import { exportEncoder } from '../../../main/engine/model/encoderExport';
import { createUmedptModel } from '../../../main/engine/model/umedptModel';
import { MultiTaskTrainer } from '../../../main/engine/train/multiTaskTrainer';
import { loadStudyTask } from '../../../main/studies/studyTaskData';
import { runStudy } from '../../../main/studies/runStudy';
import { aggregateCurves } from '../../../main/studies/studyCurves';
import { evalConfigSchema } from '../../../shared/api/eval';

const dir = mkdtempSync(path.join(tmpdir(), 'umedpt-finetune-study-'));
const inputSize = 32;
const squeezerWidth = 32;
const encoderDir = path.join(dir, 'encoder');
const pretrainLosses: number[] = [];

beforeAll(async () => {
  await initEngine({ forced: 'wasm' });
  const started = Date.now();
  const spec = DEFAULT_SYNTHETIC_TASKS.find((s) => s.kind === 'classification')!;
  expect(`${spec.kind}:${spec.rule}`).toBe('classification:dominantType');
  const task = generateSyntheticTask(spec, { size: inputSize, counts: { train: 160, val: 0, test: 0 }, seed: 5 });
  const model = createUmedptModel({ encoder: 'small-cnn', inputSize, squeezerWidth, tasks: [{ name: task.name, kind: task.kind, numClasses: task.classNames.length }], seed: 1 });
  const trainer = new MultiTaskTrainer(model, [task], { batchSize: 8, learningRate: 2e-3, seed: 1 });
  await trainer.train({ steps: 200, validate: false, onEvent: (e) => void (e.type === 'step' && pretrainLosses.push(e.taskLosses[task.name]!)) });
  await exportEncoder(model, encoderDir);
  trainer.dispose();
  model.dispose();
  console.log(`pretraining: ${((Date.now() - started) / 1000).toFixed(0)} s`);
}, 1_800_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const mean = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / values.length;

describe('fine-tuned classification study on synthetic cells', () => {
  it('the pretrained encoder, fine-tuned, beats random initialisation fine-tuned by a margin', async () => {
    // pretraining learnt: the last 20 steps' loss is well below the first 20's (about ln 3 / ln 3 = 1 at the start)
    expect(mean(pretrainLosses.slice(-20))).toBeLessThan(0.7 * mean(pretrainLosses.slice(0, 20)));
    const started = Date.now();
    const config = evalConfigSchema.parse({
      encoders: [
        { kind: 'exported', dir: encoderDir, label: 'pretrained' },
        { kind: 'random', encoder: 'small-cnn', squeezerWidth, label: 'random init' },
      ],
      task: { name: 'dominant type', kind: 'classification', source: { kind: 'synthetic', variant: 'cell-type-classification', counts: { train: 200, test: 150 }, seed: 9 } },
      fractions: [10],
      seeds: 5,
      modes: ['finetune'],
      inputSize,
      linearEpochs: 300,
      epochs: 1,
      minSteps: 30,
      batchSize: 8,
      learningRate: 1e-3,
    });
    const { rows } = await runStudy(config, await loadStudyTask(config, dir), dir);
    expect(rows.filter((r) => r.status !== 'ok')).toEqual([]);
    const curves = aggregateCurves(rows, 'balancedAccuracy');
    for (const c of curves) console.log(`${c.mode} ${c.encoder.padEnd(12)} ${c.points.map((p) => `${p.fraction}%: ${p.mean.toFixed(3)} ± ${p.sd.toFixed(3)} [${p.min.toFixed(3)}-${p.max.toFixed(3)}]`).join('  ')}`);
    console.log(`study: ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const point = (encoder: string) => curves.find((c) => c.encoder === encoder && c.mode === 'finetune')!.points[0]!;
    // recorded (docs/eval.md): 0.416 vs 0.323 balanced accuracy (chance 0.333); the margin is half the gap
    expect(point('pretrained').mean - point('random init').mean).toBeGreaterThan(0.045);
    expect(point('pretrained').mean).toBeGreaterThan(1 / 3 + 0.04);
  }, 1_800_000);
});
