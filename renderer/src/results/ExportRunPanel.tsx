import { useState } from 'react';
import type { ExportResult, RunSummary } from '../../../shared/api/runs';
import { useClient, useQuery } from '../client/clientContext';
import { ErrorMessage } from '../components/ErrorMessage';
import { useAction } from '../components/useAction';

/**
 * Export a run's encoder (with its model card) or the whole model into a
 * folder on this computer — the app and its data are local, as for imports.
 * The checkpoint is the one the page shows.
 */
export function ExportRunPanel({ run, checkpoint }: { run: RunSummary; checkpoint: 'best' | 'latest' | null }) {
  const client = useClient();
  const info = useQuery('system/info', {});
  const [what, setWhat] = useState<'encoder' | 'model'>('encoder');
  const [dir, setDir] = useState<string | null>(null);
  const [done, setDone] = useState<ExportResult | null>(null);
  const action = useAction();
  const separator = info.data?.platform === 'win32' ? '\\' : '/';
  const suggested = info.data ? [info.data.dataDir, 'exports', `${run.id}-${what}`].join(separator) : '';
  const folder = dir ?? suggested;

  const onExport = async () => {
    if (!checkpoint) return;
    setDone(null);
    const result = await action.run(() => client.call(what === 'encoder' ? 'runs/exportEncoder' : 'runs/exportModel', { runId: run.id, dir: folder, checkpoint }));
    if (result) setDone(result);
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
        <label htmlFor="export-dir">Folder on this computer</label>
        <input id="export-dir" className="wide" value={folder} onChange={(e) => setDir(e.target.value)} />
        <button type="button" onClick={() => void onExport()} disabled={action.busy || !checkpoint || !folder.trim()}>
          {action.busy ? 'Exporting…' : 'Export'}
        </button>
      </div>
      <ErrorMessage error={action.error} title="The export failed" />
      {done && (
        <p className="ok small" role="status" data-testid="export-done">
          Wrote {done.files.length} files to {done.dir} ({done.modelCard.checkpoint} checkpoint, step {done.modelCard.step}), model card included.
        </p>
      )}
    </details>
  );
}
