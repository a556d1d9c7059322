/**
 * What a metric key means, for people: `dice_membrane` reads "Dice membrane",
 * and every metric has a one-line definition shown on hover.
 */

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
  loss: 'Training loss of the task (lower is better).',
};

const perClassPrefixes: Record<string, string> = { dice: 'Dice', iou: 'IoU' };

/** "dice_membrane" -> "Dice membrane"; other keys unchanged. */
export function metricLabel(key: string): string {
  const m = /^([a-z]+)_(.+)$/.exec(key);
  const prefix = m ? perClassPrefixes[m[1]!] : undefined;
  return m && prefix ? `${prefix} ${m[2]}` : key;
}

/** One line saying what the metric measures, or null for an unknown key. */
export function metricDefinition(key: string): string | null {
  const m = /^([a-z]+)_(.+)$/.exec(key);
  if (m && m[1] === 'dice') return `Dice of class “${m[2]}”: 2|P∩T| / (|P| + |T|) over its pixels, pooled over the images. Absent when the class occurs in neither truth nor prediction (not applicable).`;
  if (m && m[1] === 'iou') return `IoU of class “${m[2]}”: |P∩T| / |P∪T| over its pixels, pooled over the images.`;
  return definitions[key] ?? null;
}

/** Classes of a segmentation task with no per-class value: absent from truth and prediction, so not applicable. */
export function notApplicableClasses(values: Record<string, number>, classNames: readonly string[]): string[] {
  return classNames.filter((name) => !(`dice_${name}` in values));
}
