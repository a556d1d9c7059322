import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ServiceContext } from './context';
import type { Handlers } from './handlers';
import { catalogOf } from './catalogService';
import { perContext } from './contextResource';
import { ImportConflictError, ImportJobManager, ImportNotFoundError } from '../importers/importJobs';
import { detectInWorker } from '../importers/detectInWorker';
import { findImportedDataset, findResumableDataset } from '../catalog/datasetQueries';
import { settleEndedImport } from '../importers/importLiveness';
import { alreadyImportedMessage } from '../importers/importRunner';
import { ApiError } from '../../shared/api/endpoint';
import { allowedPath } from './fileAccess';
import type { ImportPreview } from '../../shared/api/import';

/** The context's import jobs; running ones are cancelled when the context closes. */
export const importJobsOf: (ctx: ServiceContext) => ImportJobManager = perContext(
  (ctx) =>
    new ImportJobManager(ctx.dataDir, {
      progress: (event) => ctx.events.emit('import/progress', event),
      finished: (event) => {
        // a worker that died (killed, out of disk) leaves its dataset resumable, not `importing`
        if (event.state === 'failed' && event.datasetId !== null) settleEndedImport(catalogOf(ctx), event.datasetId);
        ctx.events.emit('import/finished', event);
      },
    }),
  (manager) => manager.dispose(),
);

function existingPath(ctx: ServiceContext, p: string): string {
  // a relative path would resolve against the server's working folder, which the caller cannot see
  if (!path.isAbsolute(p)) throw new ApiError('invalid_request', `"${p.slice(0, 200)}" is a relative path: give the absolute path of the file or folder`);
  // in remote mode, checked against the roots before its existence is told
  const abs = allowedPath(ctx, p, 'import path');
  if (!existsSync(abs)) throw new ApiError('invalid_request', `${abs}: no such file or folder`);
  return abs;
}

function asInvalid(error: unknown): never {
  if (error instanceof ApiError) throw error;
  throw new ApiError('invalid_request', error instanceof Error ? error.message : String(error));
}

export function createImportHandlers(ctx: ServiceContext): Handlers<'import/detect' | 'import/start' | 'import/cancel' | 'import/report' | 'import/listJobs'> {
  return {
    'import/detect': async (r, call): Promise<ImportPreview> => {
      // planned in a worker process: a huge folder or an archive never blocks this loop; ended when the caller goes away
      const request = { path: existingPath(ctx, r.path), ...(r.format ? { format: r.format } : {}), ...(r.options ? { options: r.options } : {}) };
      const preview = await detectInWorker(request, { signal: call?.signal }).catch(asInvalid);
      const existing = findImportedDataset(catalogOf(ctx), preview.path);
      return { ...preview, resumesDatasetId: findResumableDataset(catalogOf(ctx), preview.path, preview.format), existingDataset: existing ? { id: existing.id, name: existing.name } : null };
    },
    'import/start': (r) => {
      const source = existingPath(ctx, r.path);
      if ((r.ifExists ?? 'refuse') === 'refuse') {
        // refused here, not by a job that then fails: the caller can offer update or copy at once
        const sourcePath = path.resolve(source);
        const imported = findImportedDataset(catalogOf(ctx), sourcePath);
        // an interrupted import of the same source is resumed by the job, as before
        if (imported !== null && findResumableDataset(catalogOf(ctx), sourcePath, r.format ?? imported.format) === null) throw new ApiError('conflict', alreadyImportedMessage(sourcePath, imported));
      }
      try {
        const jobId = importJobsOf(ctx).start({ path: source, ...(r.format ? { format: r.format } : {}), ...(r.name ? { name: r.name } : {}), ...(r.options ? { options: r.options } : {}), ...(r.ifExists ? { ifExists: r.ifExists } : {}) });
        return { jobId };
      } catch (error) {
        if (error instanceof ImportConflictError) throw new ApiError('conflict', error.message);
        throw error;
      }
    },
    'import/cancel': (r) => {
      try {
        importJobsOf(ctx).cancel(r.jobId);
        return { cancelled: true };
      } catch (error) {
        if (error instanceof ImportNotFoundError) throw new ApiError('not_found', `import job ${r.jobId} does not exist`);
        // an import that has ended has nothing to cancel; the API says so rather than failing
        if (error instanceof ImportConflictError) return { cancelled: false };
        throw error;
      }
    },
    'import/report': (r) => {
      const report = importJobsOf(ctx).report(r.jobId);
      if (!report) throw new ApiError('not_found', `import job ${r.jobId} does not exist`);
      return report;
    },
    'import/listJobs': () => importJobsOf(ctx).list(),
  };
}
