import type { PredictionItem, RunPredictions, TaskMetrics } from '../../../shared/api/runs';
import { matchBoxesByScore } from '../../../shared/boxMatching';

/** Metric columns over all tasks: loss last, the rest alphabetically. */
export function metricColumns(metrics: TaskMetrics): string[] {
  const names = new Set<string>();
  for (const values of Object.values(metrics)) for (const k of Object.keys(values)) names.add(k);
  return [...names].sort((a, b) => (a === 'loss' ? 1 : b === 'loss' ? -1 : a.localeCompare(b)));
}

function className(names: readonly string[], id: number): string {
  return names[id] ?? `class ${id}`;
}

/** One line under a gallery tile: what was predicted against what is true, or the overlap; detection at the page's score threshold. */
export function itemCaption(item: PredictionItem, p: Pick<RunPredictions, 'classNames'>, threshold = 0.5): string {
  if (item.classification) {
    const c = item.classification;
    const truth = Array.isArray(c.trueLabel) ? c.trueLabel.map((t) => className(p.classNames, t)).join('+') || 'none' : className(p.classNames, c.trueLabel);
    const predicted = className(p.classNames, c.predicted);
    const confidence = c.probabilities[c.predicted];
    return `${truth} → ${predicted}${confidence !== undefined ? ` (${confidence.toFixed(2)})` : ''}`;
  }
  if (item.segmentation) return item.segmentation.dice === null ? 'nothing to score' : `Dice ${item.segmentation.dice.toFixed(3)}`;
  if (item.detection) {
    const d = item.detection;
    // at the threshold the page shows, the same matching as the counts beside the viewer
    const kept = d.predicted.filter((b) => b.score >= threshold);
    return `${matchBoxesByScore(kept, d.truth).length}/${d.truth.length} found, ${kept.length} pred. ≥ ${threshold.toFixed(2)}`;
  }
  return `score ${item.score.toFixed(3)}`;
}

/** Whether a classification prediction is right (multi-label: the predicted class is among the true ones). */
export function isCorrect(item: PredictionItem): boolean | null {
  const c = item.classification;
  if (!c) return null;
  return Array.isArray(c.trueLabel) ? c.trueLabel.includes(c.predicted) : c.trueLabel === c.predicted;
}

/** Row-normalised confusion matrix (recall per true class); rows with no images stay 0. */
export function normaliseRows(matrix: readonly number[][]): number[][] {
  return matrix.map((row) => {
    const sum = row.reduce((s, v) => s + v, 0);
    return row.map((v) => (sum > 0 ? v / sum : 0));
  });
}

/** What orders the gallery, worst first: each image's own score (the server's, see main/engine/tasks). */
export function worstFirstBy(kind: RunPredictions['kind']): string {
  if (kind === 'classification') return 'probability given to the true class';
  if (kind === 'segmentation') return 'the image’s Dice';
  return 'box F1 at score ≥ 0.3';
}
