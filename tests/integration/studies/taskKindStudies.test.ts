/**
 * Label-efficiency studies of every downstream task kind, frozen and
 * fine-tuned, on the built-in synthetic cells: the paper's in-domain case.
 * One encoder is pretrained on the three default synthetic tasks (which cell
 * type dominates; per-pixel cell types; cell-type boxes), so it learns to tell
 * the three cell types apart and where each cell lies. Each downstream task
 * asks for one of those label rules again, on other images (another data
 * seed), with a fresh head (and decoder), from 10 % of 200 training images and
 * a short training budget; what carries over is the encoder (and squeezer)
 * alone. Random initialisation gets the same budget and loses, by a margin,
 * where the recorded run showed a gap (docs/eval.md): classification frozen,
 * segmentation frozen and fine-tuned. Detection is not asserted: at 32 px both
 * encoders stay at mAP@0.5 0.01-0.03 and the pretrained one was behind;
 * detectionStudy.test.ts asserts it at 64 px with a box-pretrained encoder.
 * Small on purpose: 32 px, the small CNN, fixed seeds.
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
import { evalConfigSchema, type EvalConfigInput } from '../../../shared/api/eval';

const dir = mkdtempSync(path.join(tmpdir(), 'umedpt-task-kind-studies-'));
const inputSize = 32;
const squeezerWidth = 32;
const encoderDir = path.join(dir, 'encoder');

beforeAll(async () => {
  await initEngine({ forced: 'wasm' });
  const started = Date.now();
  const specs = [...DEFAULT_SYNTHETIC_TASKS];
  expect(specs.map((s) => `${s.kind}:${s.rule}`)).toEqual(['classification:dominantType', 'segmentation:cellType', 'detection:cellType']);
  const tasks = specs.map((s) => generateSyntheticTask(s, { size: inputSize, counts: { train: 160, val: 0, test: 0 }, seed: 5 }));
  const model = createUmedptModel({ encoder: 'small-cnn', inputSize, squeezerWidth, tasks: tasks.map((t) => ({ name: t.name, kind: t.kind, numClasses: t.classNames.length })), seed: 1 });
  const trainer = new MultiTaskTrainer(model, tasks, { batchSize: 8, learningRate: 2e-3, seed: 1 });
  await trainer.train({ steps: 80, validate: false });
  await exportEncoder(model, encoderDir);
  trainer.dispose();
  model.dispose();
  console.log(`pretraining: ${((Date.now() - started) / 1000).toFixed(0)} s`);
}, 1_800_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One study: pretrained vs random, frozen and fine-tune, 10 % of the task's 200 training images, 3 seeds. */
async function study(task: EvalConfigInput['task'], metric: string) {
  const started = Date.now();
  const config = evalConfigSchema.parse({
    encoders: [
      { kind: 'exported', dir: encoderDir, label: 'pretrained' },
      { kind: 'random', encoder: 'small-cnn', squeezerWidth, label: 'random init' },
    ],
    task,
    fractions: [10],
    seeds: 3,
    modes: ['frozen', 'finetune'],
    inputSize,
    linearEpochs: 300,
    epochs: 1,
    minSteps: 30,
    batchSize: 8,
    learningRate: 1e-3,
  });
  const { rows } = await runStudy(config, await loadStudyTask(config, dir), dir);
  expect(rows.filter((r) => r.status !== 'ok')).toEqual([]);
  const curves = aggregateCurves(rows, metric);
  for (const c of curves) console.log(`${task.name} ${c.mode.padEnd(8)} ${c.encoder.padEnd(12)} ${c.points.map((p) => `${p.fraction}%: ${p.mean.toFixed(3)} ± ${p.sd.toFixed(3)} [${p.min.toFixed(3)}-${p.max.toFixed(3)}]`).join('  ')}`);
  console.log(`${task.name}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const point = (encoder: string, mode: string) => curves.find((c) => c.encoder === encoder && c.mode === mode)!.points[0]!;
  return { point, gap: (mode: string) => point('pretrained', mode).mean - point('random init', mode).mean };
}

describe('label-efficiency studies of every task kind on synthetic cells', () => {
  it('classification (dominant cell type): the pretrained encoder wins frozen', async () => {
    const { gap } = await study({ name: 'dominant type', kind: 'classification', source: { kind: 'synthetic', variant: 'cell-type-classification', counts: { train: 200, test: 90 }, seed: 9 } }, 'balancedAccuracy');
    // Margins are half the gaps of the recorded run (docs/eval.md): frozen 0.404 vs 0.319 balanced accuracy.
    // Fine-tuned, this encoder is not separated from random beyond the seeds' ranges (0.370 vs 0.337 recorded, probe-started
    // head), so nothing is claimed here; finetuneClassificationStudy.test.ts claims it with a one-rule encoder.
    expect(gap('frozen')).toBeGreaterThan(0.04);
  }, 1_800_000);

  it('segmentation (cell-type masks): the pretrained encoder wins frozen and fine-tuned', async () => {
    const { gap } = await study({ name: 'cell types', kind: 'segmentation', source: { kind: 'synthetic', variant: 'cell-segmentation', counts: { train: 200, test: 60 }, seed: 9 } }, 'meanDice');
    // half the recorded gaps: mean Dice frozen 0.404 vs 0.312, fine-tuned 0.433 vs 0.348
    expect(gap('frozen')).toBeGreaterThan(0.045);
    expect(gap('finetune')).toBeGreaterThan(0.04);
  }, 1_800_000);

});
