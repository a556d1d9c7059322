import { useEffect, useState } from 'react';
import { useClient, useQuery } from '../client/clientContext';
import { formatAdapter } from '../../../shared/api/system';
import { useNextRunBackend } from '../settings/useNextRunBackend';

export function StatusBar() {
  const client = useClient();
  const info = useQuery('system/info', {});
  const [connected, setConnected] = useState(true);
  useEffect(() => client.onConnection(setConnected), [client]);
  // what the next run uses: in the desktop app the engine window's adapter may make it webgpu
  const nextRun = useNextRunBackend(info.data ?? null);
  const selected = info.data?.backends.find((b) => b.name === nextRun?.backend);
  return (
    <footer className="status-bar" role="status" aria-live="polite">
      <span data-testid="engine-backend" title={info.data?.backends.map((b) => `${b.name}: ${b.reason}${b.adapter ? `\n  adapter: ${formatAdapter(b.adapter)}` : ''}`).join('\n')}>
        Engine: <strong>{nextRun ? nextRun.backend : info.error ? 'unknown' : '…'}</strong>
        {selected?.adapter && <span data-testid="engine-adapter"> on {selected.adapter.description || selected.adapter.device} ({selected.adapter.software ? 'software' : 'GPU'})</span>}
        {nextRun && <span className="muted"> ({nextRun.reason})</span>}
      </span>
      <span className="muted">{info.data ? `data: ${info.data.dataDir}` : info.error ?? ''}</span>
      <span className={connected ? 'ok' : 'warn'}>{client.transport === 'electron' ? 'desktop' : connected ? 'connected' : 'reconnecting…'}</span>
      <span className="muted">v{info.data?.appVersion ?? ''}</span>
    </footer>
  );
}
