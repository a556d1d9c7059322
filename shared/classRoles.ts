/**
 * Which segmentation classes are scored. A class is background (left out of
 * the means) only when the data or the user says so: a class named like
 * background, or one the task marks. Its index is never what decides: in
 * ISBI-2012 the membranes are mask value 0 and must be scored. Used by
 * training validation, studies, the results viewer and the task forms, so
 * every path sees the same classes.
 */

/** names that mean "no object here" in the datasets we import */
const backgroundNames = /^(_?background_?|bg|back ?ground|void|unlabell?ed|none)$/i;

export function isBackgroundName(name: string): boolean {
  return backgroundNames.test(name.trim());
}

/**
 * The background class of a segmentation task, or null when every class is
 * scored. `marked`: the class name the user marked (wins), null for "no
 * background", undefined to preset from the names.
 */
export function backgroundClassIndex(classNames: readonly string[], marked?: string | null): number | null {
  if (marked === null) return null;
  if (marked !== undefined) {
    const index = classNames.indexOf(marked);
    if (index < 0) throw new Error(`background class "${marked}" is not one of the task's classes (${classNames.join(', ')})`);
    return index;
  }
  const named = classNames.findIndex(isBackgroundName);
  return named >= 0 ? named : null;
}

/** The metric key of a per-class value, e.g. dice_membrane. */
export function perClassMetricKey(metric: string, className: string): string {
  return `${metric}_${className}`;
}
