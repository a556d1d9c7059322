import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ServiceContext } from './context';
import type { Handlers } from './handlers';
import { catalogOf } from './catalogService';
import { perContext } from './contextResource';
import { ImportConflictError, ImportJobManager } from '../importers/importJobs';
import { buildImportPlan } from '../importers/buildImportPlan';
import { findResumableDataset } from '../catalog/datasetQueries';
import { ApiError } from '../../shared/api/endpoint';
import type { ImportPreview } from '../../shared/api/import';
import type { SplitCounts } from '../../shared/api/catalog';

/** The context's import jobs; running ones are cancelled when the context closes. */
export const importJobsOf: (ctx: ServiceContext) => ImportJobManager = perContext(
  (ctx) =>
    new ImportJobManager(ctx.dataDir, {
      progress: (event) => ctx.events.emit('import/progress', event),
      finished: (event) => ctx.events.emit('import/finished', event),
    }),
  (manager) => manager.dispose(),
);

function existingPath(p: string): string {
  const abs = path.resolve(p);
  if (!existsSync(abs)) throw new ApiError('invalid_request', `${abs}: no such file or folder`);
  return abs;
}

function asInvalid(error: unknown): never {
  if (error instanceof ApiError) throw error;
  throw new ApiError('invalid_request', error instanceof Error ? error.message : String(error));
}

export function createImportHandlers(ctx: ServiceContext): Handlers<'import/detect' | 'import/start' | 'import/cancel' | 'import/report' | 'import/listJobs'> {
  return {
    'import/detect': async (r): Promise<ImportPreview> => {
      const plan = await buildImportPlan({ path: existingPath(r.path), ...(r.format ? { format: r.format } : {}), ...(r.options ? { options: r.options } : {}) }).catch(asInvalid);
      const splits: SplitCounts = { train: 0, val: 0, test: 0 };
      for (const item of plan.items) if (!item.skip && item.split) splits[item.split]++;
      return {
        path: plan.sourcePath,
        format: plan.format,
        kind: plan.kind,
        datasetName: plan.datasetName,
        itemCount: plan.items.filter((i) => !i.skip).length,
        classes: plan.classes,
        multiLabel: plan.multiLabel,
        splits,
        publisherSplit: plan.publisherSplit,
        skipped: [...plan.skipped, ...plan.items.filter((i) => i.skip).map((i) => ({ path: i.key, reason: i.skip! }))],
        resumesDatasetId: findResumableDataset(catalogOf(ctx), plan.sourcePath, plan.format),
      };
    },
    'import/start': (r) => {
      try {
        const jobId = importJobsOf(ctx).start({ path: existingPath(r.path), ...(r.format ? { format: r.format } : {}), ...(r.name ? { name: r.name } : {}), ...(r.options ? { options: r.options } : {}) });
        return { jobId };
      } catch (error) {
        if (error instanceof ImportConflictError) throw new ApiError('conflict', error.message);
        throw error;
      }
    },
    'import/cancel': (r) => {
      if (!importJobsOf(ctx).summary(r.jobId)) throw new ApiError('not_found', `import job ${r.jobId} does not exist`);
      return { cancelled: importJobsOf(ctx).cancel(r.jobId) };
    },
    'import/report': (r) => {
      const report = importJobsOf(ctx).report(r.jobId);
      if (!report) throw new ApiError('not_found', `import job ${r.jobId} does not exist`);
      return report;
    },
    'import/listJobs': () => importJobsOf(ctx).list(),
  };
}
