/**
 * What a metric key means, for people: `dice_membrane` reads "Dice membrane",
 * `meanDice` "mean Dice", and every metric has a one-line definition (shown
 * on hover in the app). No raw key reaches the screen, the study plot or the
 * report. Runtime-neutral: the renderer and the studies use it.
 */

const labels: Record<string, string> = {
  accuracy: 'accuracy',
  balancedAccuracy: 'balanced accuracy',
  macroF1: 'macro F1',
  auroc: 'AUROC',
  labelAccuracy: 'label accuracy',
  meanDice: 'mean Dice',
  meanIou: 'mean IoU',
  map50: 'mAP@0.5',
  map5095: 'mAP@0.5:0.95',
  loss: 'loss',
};

const definitions: Record<string, string> = {
  accuracy: 'Share of images whose predicted class is the true class.',
  balancedAccuracy: 'Mean over classes of the share of that class’s images predicted correctly (recall per class); not fooled by a majority class.',
  macroF1: 'Mean over classes of F1, the harmonic mean of precision and recall.',
  auroc: 'Area under the ROC curve, one class against the rest, averaged over classes: 0.5 is chance, 1 is perfect ranking.',
  labelAccuracy: 'Multi-label: share of (image, class) pairs predicted right at probability 0.5.',
  meanDice: 'Mean Dice over the scored classes that occur in the evaluated images (the background class, if the task has one, and classes absent from truth and prediction are left out). Dice = 2|P∩T| / (|P| + |T|), pixels pooled over the images.',
  meanIou: 'Mean IoU (Jaccard, |P∩T| / |P∪T|) over the same classes as mean Dice.',
  map50: 'Mean average precision over classes, a prediction counting as found at box IoU ≥ 0.5 with a true box of its class.',
  map5095: 'Mean average precision averaged over IoU thresholds 0.5, 0.55, …, 0.95 (COCO).',
  loss: 'Loss of the task: (Dice + focal) / ln C, cross-entropy / ln C, or the detection losses / ln C (lower is better).',
  score: 'The validation score that picks the best checkpoint: the mean over tasks of each task’s main metric.',
};

const perClassPrefixes: Record<string, string> = { dice: 'Dice', iou: 'IoU' };

/** "dice_membrane" -> "Dice membrane", "dice_0" -> "Dice (class 0)", "meanDice" -> "mean Dice"; an unknown key unchanged. */
export function metricLabel(key: string): string {
  const m = /^([a-z]+)_(.+)$/.exec(key);
  const prefix = m ? perClassPrefixes[m[1]!] : undefined;
  if (m && prefix) return /^\d+$/.test(m[2]!) ? `${prefix} (class ${m[2]})` : `${prefix} ${m[2]}`;
  return labels[key] ?? key;
}

/** One line saying what the metric measures, or null for an unknown key. */
export function metricDefinition(key: string): string | null {
  const m = /^([a-z]+)_(.+)$/.exec(key);
  if (m && m[1] === 'dice') return `Dice of class “${m[2]}”: 2|P∩T| / (|P| + |T|) over its pixels, pooled over the images. Absent when the class occurs in neither truth nor prediction (not applicable).`;
  if (m && m[1] === 'iou') return `IoU of class “${m[2]}”: |P∩T| / |P∪T| over its pixels, pooled over the images.`;
  return definitions[key] ?? null;
}
