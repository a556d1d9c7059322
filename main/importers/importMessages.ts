import type { PlanRequest } from './buildImportPlan';
import type { PreviewRequest } from '../catalog/catalogPreview';
import type { ImportCounts, ImportFileReport, ImportFormat, ImportPreview } from '../../shared/api/import';

/** What import/detect learns in its worker; the caller adds what the catalog knows (a resumable dataset). */
export type PlanPreview = Omit<ImportPreview, 'resumesDatasetId'>;

/** Parent -> import worker. */
export type ToImportWorker =
  | { type: 'start'; dataDir: string; request: PlanRequest }
  | { type: 'cancel' }
  | { type: 'detect'; request: PlanRequest }
  | { type: 'render'; id: number; dataDir: string; what: 'preview' | 'mask'; request: PreviewRequest };

/** Import worker -> parent. */
export type FromImportWorker =
  | { type: 'planned'; datasetId: number; format: ImportFormat; total: number; resumed: boolean }
  | { type: 'progress'; done: number; total: number; currentFile: string }
  | { type: 'file'; report: ImportFileReport; done: number; total: number }
  | { type: 'finished'; datasetId: number; state: 'completed' | 'cancelled'; counts: ImportCounts }
  | { type: 'failed'; error: string; /** the dataset it had made was removed again (nothing imported) */ datasetRemoved?: boolean }
  | { type: 'detected'; preview: PlanPreview }
  | { type: 'rendered'; id: number; png: string }
  | { type: 'renderFailed'; id: number; error: string };
