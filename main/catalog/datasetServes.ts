import type { DatasetDetail } from '../../shared/api/catalog';

/**
 * Whether a dataset's labels can train a task of this kind: its own kind, and
 * detection from instance label images (a box per instance was stored at import).
 */
export function datasetServesKind(dataset: Pick<DatasetDetail, 'kind' | 'options'>, kind: string): boolean {
  return dataset.kind === kind || (kind === 'detection' && servesDetectionFromInstances(dataset));
}

export function servesDetectionFromInstances(dataset: Pick<DatasetDetail, 'kind' | 'options'>): boolean {
  return dataset.kind === 'segmentation' && dataset.options.maskValues === 'instances';
}
