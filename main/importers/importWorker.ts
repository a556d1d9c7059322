/**
 * Entry of the import child process: plans and runs one import against the
 * catalog in the data folder, streaming progress and per-file reports to the
 * parent. Decoding and hashing happen here, never on the app's main thread.
 * Every file is committed on its own, so killing this process at any moment
 * leaves a consistent catalog that a re-run completes.
 */
import { openCatalog } from '../catalog/openCatalog';
import { buildImportPlan } from './buildImportPlan';
import { datasetForPlan, runImport } from './importRunner';
import { removeEmptyDataset } from '../catalog/datasetQueries';
import type { FromImportWorker, ToImportWorker } from './importMessages';
import { importOptionsSchema } from '../../shared/api/import';
import { exitSoon, parentChannel } from '../workers/parentChannel';
import { previewOfPlan } from './detectInWorker';
import { renderForParent } from './renderInWorker';
import { holdImportLock, releaseImportLock, settleEndedImport } from './importLiveness';

let cancelled = false;
const channel = parentChannel<ToImportWorker, FromImportWorker>();
const send = (message: FromImportWorker): Promise<void> => channel.post(message);

async function run(start: Extract<ToImportWorker, { type: 'start' }>): Promise<void> {
  const catalog = openCatalog(start.dataDir);
  let importing: number | null = null;
  try {
    const options = importOptionsSchema.parse(start.request.options ?? {});
    const plan = await buildImportPlan(start.request);
    const { datasetId, resumed, updating } = datasetForPlan(catalog, plan, options, true, start.request.ifExists ?? 'refuse');
    importing = datasetId;
    holdImportLock(start.dataDir, datasetId);
    const total = plan.items.length + plan.skipped.length;
    await send({ type: 'planned', datasetId, format: plan.format, total, resumed });
    let lastProgress = 0;
    const result = await runImport(catalog, plan, datasetId, options, {
      isCancelled: () => cancelled,
      updating: updating === true,
      onStart: (currentFile, done, total) => {
        const now = Date.now();
        // progress at most every 100 ms; per-file reports go out for every file
        if (now - lastProgress >= 100) {
          lastProgress = now;
          void send({ type: 'progress', done, total, currentFile });
        }
      },
      onFile: (report, done, total) => void send({ type: 'file', report, done, total }),
    });
    if (result.state === 'completed' && result.counts.imported === 0 && !resumed && removeEmptyDataset(catalog, datasetId)) {
      // nothing could be imported: an error, and no empty dataset left behind
      importing = null;
      releaseImportLock(start.dataDir, datasetId);
      const firstReason = result.files.find((f) => f.reason)?.reason;
      await send({ type: 'failed', error: `${plan.sourcePath}: no file could be imported (${result.counts.skipped} skipped, ${result.counts.duplicate} duplicate)${firstReason ? `; the first: ${firstReason}` : ''}`, datasetRemoved: true });
      return;
    }
    // let the message loop deliver a pending cancel before finishing
    await send({ type: 'finished', datasetId: result.datasetId, state: result.state, counts: result.counts });
  } finally {
    // an import that threw (a full disk, a broken catalog write) ends resumable, never `importing`
    if (importing !== null) {
      try {
        settleEndedImport(catalog, importing);
      } finally {
        releaseImportLock(start.dataDir, importing);
      }
    }
    catalog.close();
  }
}

channel.listen((message) => {
  if (message.type === 'cancel') cancelled = true;
  else if (message.type === 'render') {
    // preview mode: a long-lived worker of the PreviewPool; it ends with its parent
    if (process.listenerCount('disconnect') === 0) process.on('disconnect', () => process.exit());
    void renderForParent(message).then(send);
  } else if (message.type === 'detect') {
    buildImportPlan(message.request)
      .then((plan) => send({ type: 'detected', preview: previewOfPlan(plan) }))
      .catch((error: unknown) => send({ type: 'failed', error: error instanceof Error ? error.message : String(error) }))
      .finally(() => exitSoon());
  } else if (message.type === 'start') {
    run(message)
      .catch((error: unknown) => send({ type: 'failed', error: error instanceof Error ? error.message : String(error) }))
      .finally(() => exitSoon());
  }
});
