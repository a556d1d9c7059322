import type { PlanRequest } from './buildImportPlan';
import type { ImportCounts, ImportFileReport, ImportFormat } from '../../shared/api/import';

/** Parent -> import worker. */
export type ToImportWorker = { type: 'start'; dataDir: string; request: PlanRequest } | { type: 'cancel' };

/** Import worker -> parent. */
export type FromImportWorker =
  | { type: 'planned'; datasetId: number; format: ImportFormat; total: number; resumed: boolean }
  | { type: 'progress'; done: number; total: number; currentFile: string }
  | { type: 'file'; report: ImportFileReport; done: number; total: number }
  | { type: 'finished'; datasetId: number; state: 'completed' | 'cancelled'; counts: ImportCounts }
  | { type: 'failed'; error: string };
