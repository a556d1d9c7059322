import { useState } from 'react';
import type { ImportProgressEvent } from '../../../shared/api/import';
import { useClient, useEvent } from '../client/clientContext';
import { ErrorMessage } from '../components/ErrorMessage';
import { useAction } from '../components/useAction';

/**
 * "Try the demo" on an empty catalog: what `umedpt demo --with-real` does —
 * the three real samples shipped with the app imported, a short run on them
 * launched — then the user lands on the live run. Progress all the way.
 */
export function TryDemo() {
  const client = useClient();
  const start = useAction();
  const [progress, setProgress] = useState<ImportProgressEvent | null>(null);
  useEvent('import/progress', setProgress);

  const onStart = async () => {
    setProgress(null);
    const started = await start.run(() => client.call('demo/start', { steps: 60 }));
    if (started) window.location.hash = `#/pretraining/${encodeURIComponent(started.run.id)}`;
  };

  return (
    <div className="try-demo">
      <p>
        Or try the demo: three small real datasets shipped with the app (BCCD blood-cell boxes, ISBI-2012 EM membrane masks, RetinaMNIST fundus grades) are imported, and a 60-step pretraining on
        them starts.
      </p>
      <button type="button" onClick={() => void onStart()} disabled={start.busy}>
        {start.busy ? 'Starting the demo…' : 'Try the demo'}
      </button>
      {start.busy && (
        <p className="small" role="status" data-testid="demo-progress">
          {progress && progress.total > 0 ? `Importing the samples: ${progress.done} / ${progress.total} files (${progress.currentFile.split(/[\\/]/).pop() ?? ''})` : 'Importing the samples (scanning files)…'}
          ; then the run starts and this page moves to it.
        </p>
      )}
      <ErrorMessage error={start.error} title="The demo could not start" />
    </div>
  );
}
