import { useState } from 'react';
import { exportArchiveFileName, type ExportArchive, type RunSummary } from '../../../shared/api/runs';
import { useClient } from '../client/clientContext';
import { SaveFileButton } from '../components/SaveFileButton';
import { base64ToBytes } from '../../../shared/base64Bytes';

/**
 * Export a run's encoder (with its model card) or the whole model as one zip,
 * handed over like every file the UI makes (a save dialog in Electron, a
 * download in the browser). The checkpoint is the one the page shows; the
 * CLI (umedpt export) still writes a folder.
 */
export function ExportRunPanel({ run, checkpoint }: { run: RunSummary; checkpoint: 'best' | 'latest' | null }) {
  const client = useClient();
  const [what, setWhat] = useState<'encoder' | 'model'>('encoder');
  const [done, setDone] = useState<Omit<ExportArchive, 'base64'> | null>(null);
  const fileName = exportArchiveFileName(run.name || run.id, what);

  const makeZip = async (): Promise<Uint8Array> => {
    setDone(null);
    const { base64, ...archive } = await client.call('runs/exportArchive', { runId: run.id, what, checkpoint: checkpoint ?? 'best' });
    setDone(archive);
    return base64ToBytes(base64);
  };

  return (
    <details className="panel export-panel">
      <summary>Export the {checkpoint ?? ''} checkpoint…</summary>
      <div className="row tight small">
        <label htmlFor="export-what">What</label>
        <select id="export-what" className="compact" value={what} onChange={(e) => setWhat(e.target.value as 'encoder' | 'model')}>
          <option value="encoder">encoder + model card (to pretrain or fine-tune from)</option>
          <option value="model">whole model (encoder, decoders, task heads)</option>
        </select>
        {checkpoint && (
          <SaveFileButton fileName={fileName} mime="application/zip" make={makeZip} className="">
            Export {fileName}
          </SaveFileButton>
        )}
      </div>
      {done && (
        <p className="ok small" role="status" data-testid="export-done">
          Packed {done.files.length} files into {done.fileName} ({(done.bytes / 1024 / 1024).toFixed(1)} MiB; {done.modelCard.checkpoint} checkpoint, step {done.modelCard.step}), model card included.
        </p>
      )}
    </details>
  );
}
