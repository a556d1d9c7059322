/**
 * The PyTorch trainer scores segmentation as the app does: Dice per class
 * keyed by class name, a class absent from truth and prediction not
 * applicable (never 1), the mean over the scored classes that occur, the
 * background left out only where the task has one, letterbox padding ignored.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { segmentationMetrics } from '../../../main/engine/metrics/segmentationOverlap';
import { perClassMetricKey } from '../../../shared/classRoles';
import { pythonOrReason, runPython } from './clusterTestHelpers';

const { python, reason } = pythonOrReason();
if (!python) console.log(`skipping the trainer's segmentation metric parity test: ${reason}`);
const trainerDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../resources/cluster/trainer');

function pythonMetrics(predicted: number[], truth: number[], classNames: string[], background: number | null): Record<string, number | null> {
  const code = [
    'import json, sys, math',
    'import numpy as np',
    'from umedpt_trainer.metrics import segmentation_metrics',
    'a = json.loads(sys.argv[1])',
    "out = segmentation_metrics(np.array(a['p'], dtype=np.int64), np.array(a['t'], dtype=np.int64), a['names'], a['bg'])",
    'print(json.dumps({k: (None if math.isnan(v) else v) for k, v in out.items()}))',
  ].join('\n');
  const stdout = runPython(python!.python, ['-c', code, JSON.stringify({ p: predicted, t: truth, names: classNames, bg: background })], trainerDir, 120_000);
  return JSON.parse(stdout) as Record<string, number | null>;
}

describe.skipIf(!python)("the PyTorch trainer's segmentation metrics", () => {
  const cases = [
    // ISBI-like: class 0 is the membrane and is scored; a third class occurs nowhere
    { names: ['membrane', 'cell', 'absent'], background: null, predicted: [0, 0, 1, 1, 1, 0, 1, 0, 1, 1], truth: [0, 0, 0, 1, 1, 1, 1, 255, 255, 1] },
    // a named background is left out of the mean; a class only predicted scores 0
    { names: ['background', 'nucleus', 'cytoplasm'], background: 0, predicted: [0, 1, 1, 2, 0, 0, 2, 2, 1, 0], truth: [0, 1, 0, 0, 0, 0, 0, 1, 1, 255] },
  ];
  for (const c of cases) {
    it(`match the app's for classes ${c.names.join(', ')}`, () => {
      const app = segmentationMetrics([{ predicted: c.predicted, truth: c.truth }], c.names.length, { backgroundClass: c.background });
      const trainer = pythonMetrics(c.predicted, c.truth, c.names, c.background);
      expect(trainer.meanDice).toBeCloseTo(app.meanDice, 10);
      expect(trainer.meanIou).toBeCloseTo(app.meanIou, 10);
      c.names.forEach((name, k) => {
        const key = perClassMetricKey('dice', name);
        if (Number.isNaN(app.dicePerClass[k])) expect(trainer[key], key).toBeNull();
        else expect(trainer[key], key).toBeCloseTo(app.dicePerClass[k]!, 10);
      });
      expect(Object.keys(trainer).some((k) => /^dice_\d+$/.test(k))).toBe(false);
    });
  }
});
