/** Metric names for people live in shared/metricNames (the study plot uses them too); what the Results page adds. */
export { metricDefinition, metricLabel } from '../../../shared/metricNames';

/** Classes of a segmentation task with no per-class value: absent from truth and prediction, so not applicable. */
export function notApplicableClasses(values: Record<string, number>, classNames: readonly string[]): string[] {
  return classNames.filter((name) => !(`dice_${name}` in values));
}
