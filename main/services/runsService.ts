import { ApiError } from '../../shared/api';
import { formatRunConfigProblems } from '../../shared/runConfig';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { exportArchiveFileName, maxExportArchiveBytes, type ExportArchive, type ExportResult, type RunPredictions } from '../../shared/api/runs';
import { appName } from './dataDir';
import type { ServiceContext } from './context';
import type { Handlers } from './handlers';
import { RunConflictError, RunNotFoundError } from '../runs/runManager';
import { runsRuntime } from './runsRuntime';
import { runToolProcess } from '../runs/runTool';
import { validateRunConfig } from '../runs/validateRunConfig';
import { cancelClusterRun } from './clusterService';
import { allowedPath, checkRunConfigPaths } from './fileAccess';

type RunsAction =
  | 'runs/validate'
  | 'runs/launch'
  | 'runs/list'
  | 'runs/get'
  | 'runs/pause'
  | 'runs/resume'
  | 'runs/cancel'
  | 'runs/metrics'
  | 'runs/exportEncoder'
  | 'runs/exportModel'
  | 'runs/exportArchive'
  | 'runs/predictions';

/** Job-manager errors as API errors with stable codes. */
function apiErrors<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof RunNotFoundError) throw new ApiError('not_found', error.message);
    if (error instanceof RunConflictError) throw new ApiError('conflict', error.message);
    throw error;
  }
}

export function createRunsHandlers(ctx: ServiceContext): Handlers<RunsAction> {
  const runtime = () => runsRuntime(ctx);
  const manager = () => runtime().manager;

  const exportVia = async (runId: string, dir: string, checkpoint: 'latest' | 'best', what: 'encoder' | 'model'): Promise<ExportResult> => {
    const target = allowedPath(ctx, dir, 'export folder');
    const run = apiErrors(() => manager().summary(runId));
    try {
      return await runToolProcess<ExportResult>(runtime().launcher, {
        op: 'export',
        options: { runRoot: run.folder, runName: run.name, dir: target, checkpoint, what, appName, appVersion: ctx.appVersion },
      });
    } catch (error) {
      throw new ApiError('conflict', `export of run ${runId}: ${(error as Error).message}`);
    }
  };

  // the UI's export: into a temporary folder (packed as one zip by the tool process), handed back, folder removed
  const exportArchive = async (runId: string, checkpoint: 'latest' | 'best', what: 'encoder' | 'model'): Promise<ExportArchive> => {
    const run = apiErrors(() => manager().summary(runId));
    const fileName = exportArchiveFileName(run.name || run.id, what);
    const temp = mkdtempSync(path.join(os.tmpdir(), 'umedpt-export-archive-'));
    try {
      const zipTo = path.join(temp, fileName);
      let result: ExportResult;
      try {
        result = await runToolProcess<ExportResult>(runtime().launcher, {
          op: 'export',
          options: { runRoot: run.folder, runName: run.name, dir: path.join(temp, what), checkpoint, what, appName, appVersion: ctx.appVersion, zipTo },
        });
      } catch (error) {
        throw new ApiError('conflict', `export of run ${runId}: ${(error as Error).message}`);
      }
      const { size } = await stat(zipTo);
      if (size > maxExportArchiveBytes) {
        throw new ApiError('invalid_request', `the ${what} of run ${runId} zips to ${(size / 1024 / 1024).toFixed(0)} MiB, over the ${maxExportArchiveBytes / 1024 / 1024} MiB a download carries; export it to a folder with the CLI (umedpt export)`);
      }
      const zip = await readFile(zipTo);
      return { fileName, base64: zip.toString('base64'), bytes: zip.byteLength, files: result.files, modelCard: result.modelCard };
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  };

  return {
    'runs/validate': ({ config }) => {
      // confined first, so a remote caller learns nothing of folders outside the roots
      checkRunConfigPaths(ctx, config);
      return { problems: validateRunConfig(runtime().catalog, config).problems };
    },
    'runs/launch': ({ config }) => {
      checkRunConfigPaths(ctx, config);
      const { config: parsed, problems } = validateRunConfig(runtime().catalog, config);
      if (!parsed || problems.length) throw new ApiError('invalid_request', `the run configuration has ${problems.length} problem(s):\n${formatRunConfigProblems(problems)}`);
      return manager().launch(parsed);
    },
    'runs/list': () => manager().list(),
    'runs/get': ({ runId }) => apiErrors(() => manager().get(runId)),
    'runs/pause': ({ runId }) => apiErrors(() => manager().pause(runId)),
    'runs/resume': ({ runId }) => apiErrors(() => manager().resume(runId)),
    'runs/cancel': ({ runId }) => (cancelClusterRun(ctx, runId) ? manager().summary(runId) : apiErrors(() => manager().cancel(runId))),
    'runs/metrics': ({ runId, after, types, limit }) => apiErrors(() => manager().metrics(runId, { after, types, limit })),
    'runs/exportEncoder': ({ runId, dir, checkpoint }) => exportVia(runId, dir, checkpoint, 'encoder'),
    'runs/exportModel': ({ runId, dir, checkpoint }) => exportVia(runId, dir, checkpoint, 'model'),
    'runs/exportArchive': ({ runId, checkpoint, what }) => exportArchive(runId, checkpoint, what),
    'runs/predictions': async ({ runId, task, split, checkpoint, limit }, call) => {
      const run = apiErrors(() => manager().summary(runId));
      try {
        // only this caller reads the predictions: its going away ends the tool process
        return await runToolProcess<RunPredictions>(runtime().launcher, { op: 'predictions', request: { runRoot: run.folder, dataDir: ctx.dataDir, task, split, checkpoint, limit } }, undefined, call?.signal);
      } catch (error) {
        throw new ApiError('conflict', `predictions of run ${runId}: ${(error as Error).message}`);
      }
    },
  };
}
