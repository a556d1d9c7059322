import path from 'node:path';
import { listFilesRecursive } from '../fileWalk';
import type { ImportPlan } from '../importPlan';

/**
 * Unlabelled images (a DICOM or NIfTI folder): every file is an item, so the
 * report accounts for each one (imported, or skipped with the decoder's reason).
 */
export function planImages(root: string): Omit<ImportPlan, 'sourcePath' | 'datasetName'> {
  const items = listFilesRecursive(root).map((rel) => ({ key: rel, file: path.join(root, rel) }));
  return { root, format: 'images', kind: 'unlabelled', classes: [], multiLabel: false, publisherSplit: false, items, skipped: [] };
}
