/**
 * Scores of a downstream model on the fixed test split, and which of them a
 * study plots. Classification plots balanced accuracy: real downstream sets
 * (e.g. RetinaMNIST) are imbalanced, where plain accuracy rewards guessing
 * the majority class.
 */
import { classificationMetrics } from '../engine/metrics/classificationMetrics';
import type { TaskKind } from '../engine/data/taskSample';
import { taskKindModule } from '../engine/tasks/taskKindRegistry';
import { taskKinds } from '../../shared/vocabulary';

export const primaryMetricByKind = Object.fromEntries(taskKinds.map((kind) => [kind, taskKindModule(kind).studyMetricName])) as Record<TaskKind, string>;

/** accuracy, balancedAccuracy, macroF1, auroc from row-major N x C probabilities */
export function classificationScores(truth: ArrayLike<number>, probabilities: ArrayLike<number>, numClasses: number): Record<string, number> {
  const { confusion: _confusion, ...values } = classificationMetrics(truth, probabilities, numClasses);
  return values;
}
