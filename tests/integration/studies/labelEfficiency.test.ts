/**
 * The claim of a label-efficiency study on the built-in synthetic data: an
 * encoder pretrained on two synthetic tasks (which cell type dominates;
 * per-pixel cell types) beats random initialisation on a third, held-out
 * task with a different label rule over the same kind of cells (how many
 * cells), with 1 % and 10 % of that task's training data, frozen encoder +
 * linear probe, mean over 3 seeds. Small on purpose: 32 px images, the small
 * CNN, 40 pretraining steps.
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

const dir = mkdtempSync(path.join(tmpdir(), 'umedpt-label-efficiency-'));
const inputSize = 32;
const squeezerWidth = 64;

beforeAll(async () => {
  await initEngine({ forced: 'wasm' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('label efficiency on synthetic cells', () => {
  it('a pretrained encoder beats random initialisation on a held-out task at 1 % and 10 % of its data', async () => {
    const started = Date.now();
    const pretrainSpecs = [DEFAULT_SYNTHETIC_TASKS[0]!, DEFAULT_SYNTHETIC_TASKS[1]!];
    expect(pretrainSpecs.map((s) => s.rule)).toEqual(['dominantType', 'cellType']);
    const tasks = pretrainSpecs.map((s) => generateSyntheticTask(s, { size: inputSize, counts: { train: 160, val: 0, test: 0 }, seed: 5 }));
    const model = createUmedptModel({ encoder: 'small-cnn', inputSize, squeezerWidth, tasks: tasks.map((t) => ({ name: t.name, kind: t.kind, numClasses: t.classNames.length })), seed: 1 });
    const trainer = new MultiTaskTrainer(model, tasks, { batchSize: 16, learningRate: 2e-3, seed: 1 });
    await trainer.train({ epochs: 4, validate: false });
    await exportEncoder(model, path.join(dir, 'encoder'));
    trainer.dispose();
    model.dispose();
    const pretrainSeconds = (Date.now() - started) / 1000;

    const config = evalConfigSchema.parse({
      encoders: [
        { kind: 'exported', dir: path.join(dir, 'encoder'), label: 'pretrained' },
        { kind: 'random', encoder: 'small-cnn', squeezerWidth, label: 'random init' },
      ],
      // held out: a new label rule (cell count, 4 classes) over the same cells, other images (data seed 9)
      task: { name: 'cell count', kind: 'classification', source: { kind: 'synthetic', variant: 'cell-count-classification', counts: { train: 800, test: 240 }, seed: 9 } },
      fractions: [1, 10],
      seeds: 3,
      modes: ['frozen'],
      inputSize,
      linearEpochs: 300,
    });
    const task = await loadStudyTask(config, dir);
    const { rows } = await runStudy(config, task, dir);
    // 1 % of 800 is 8 images: enough for one of each of the 4 classes, so nothing is skipped
    expect(rows.filter((r) => r.status !== 'ok')).toEqual([]);
    expect(rows.filter((r) => r.fraction === 1).every((r) => r.trainImages >= 4)).toBe(true);

    const curves = aggregateCurves(rows, 'balancedAccuracy');
    const mean = (encoder: string, fraction: number) => curves.find((c) => c.encoder === encoder)!.points.find((p) => p.fraction === fraction)!.mean;
    for (const c of curves) console.log(`${c.encoder.padEnd(12)} ${c.points.map((p) => `${p.fraction}%: ${p.mean.toFixed(3)} ± ${p.sd.toFixed(3)}`).join('   ')}`);
    console.log(`pretraining ${pretrainSeconds.toFixed(0)} s, whole test ${((Date.now() - started) / 1000).toFixed(0)} s`);
    // Margins, not a bare ">": a useless pretraining beats random init by chance about one time in four
    // over 3 seeds. The last recorded run (README) had 0.30 vs 0.26 at 1 % and 0.41 vs 0.27 at 10 %;
    // the margins are half those gaps.
    expect(mean('pretrained', 1) - mean('random init', 1)).toBeGreaterThan(0.02);
    expect(mean('pretrained', 10) - mean('random init', 10)).toBeGreaterThan(0.07);
  }, 1_200_000);
});
