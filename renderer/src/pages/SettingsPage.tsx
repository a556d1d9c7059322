import { useState } from 'react';
import type { Settings } from '../../../shared/api';
import { useClient, useQuery } from '../client/clientContext';
import { ClusterProfilesSection } from '../settings/ClusterProfilesSection';
import { useNextRunBackend } from '../settings/useNextRunBackend';

export function SettingsPage({ onSettings }: { onSettings(settings: Settings): void }) {
  const client = useClient();
  const settings = useQuery('settings/get', {});
  const info = useQuery('system/info', {});
  const nextRun = useNextRunBackend(info.data ?? null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const save = async (patch: Partial<Settings>) => {
    setError(null);
    try {
      const next = await client.call('settings/set', patch);
      onSettings(next);
      setMessage('Saved.');
      settings.reload();
      info.reload();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  if (!settings.data) return <section className="page">{settings.error ? <p role="alert">{settings.error}</p> : <p>Loading…</p>}</section>;
  const s = settings.data;
  return (
    <section className="page settings">
      <h1>Settings</h1>
      <div className="form-grid">
        <label htmlFor="setting-theme">Theme</label>
        <select id="setting-theme" value={s.theme} onChange={(e) => save({ theme: e.target.value as Settings['theme'] })}>
          <option value="system">Follow the system</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>

        <label htmlFor="setting-backend">Default engine backend</label>
        <select id="setting-backend" value={s.backend} onChange={(e) => save({ backend: e.target.value as Settings['backend'] })}>
          <option value="auto">Automatic (best available)</option>
          {info.data?.backends.map((b) => {
            // in the desktop app webgpu is Chromium's, in the engine window: the main process's probe cannot see it
            const viaEngineWindow = b.name === 'webgpu' && info.data?.webgpuVia === 'engine-window';
            return (
              <option key={b.name} value={b.name} disabled={!b.available && !viaEngineWindow}>
                {b.name}
                {viaEngineWindow ? ' (in the engine window)' : b.available ? '' : ' (unavailable)'}
              </option>
            );
          })}
        </select>

        <label htmlFor="setting-datadir">Data folder</label>
        <div className="row">
          <input id="setting-datadir" defaultValue={s.dataDir ?? ''} placeholder={info.data?.dataDir ?? ''} onBlur={(e) => e.target.value !== (s.dataDir ?? '') && save({ dataDir: e.target.value.trim() || null })} />
        </div>
      </div>
      {nextRun && (
        <p data-testid="next-run-backend">
          The next run (unless its own config names a backend) trains on <strong>{nextRun.backend}</strong>: {nextRun.reason}
        </p>
      )}
      <p className="muted">The data folder takes effect at the next start; the environment variable UMEDPT_HOME overrides it. Now in use: {info.data?.dataDir}</p>
      <h2>Engine backends</h2>
      <table className="table">
        <thead>
          <tr>
            <th>Backend</th>
            <th>Package</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {info.data?.backends.map((b) => (
            <tr key={b.name}>
              <td>{b.name}</td>
              <td>
                <code>{b.packageName}</code>
              </td>
              <td>{b.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ClusterProfilesSection />
      {message && !error && <p className="ok">{message}</p>}
      {error && <p role="alert" className="error">{error}</p>}
    </section>
  );
}
