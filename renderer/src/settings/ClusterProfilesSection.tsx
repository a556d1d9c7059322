import { useState } from 'react';
import type { ClusterProfile } from '../../../shared/api/cluster';
import { useClient, useQuery } from '../client/clientContext';

const blank: ClusterProfile = {
  name: '',
  kind: 'slurm',
  sshHost: '',
  slurmConf: '',
  partition: '',
  nodes: 1,
  gpusPerNode: 0,
  cpusPerTask: 0,
  python: 'python3',
  modules: [],
  container: '',
  timeLimit: '',
  namespace: 'default',
  claim: '',
  mountPath: '/workspace',
};

/** Settings > Cluster profiles: where "Run on" can send a run (Slurm or Kubernetes). No secrets are stored. */
export function ClusterProfilesSection() {
  const client = useClient();
  const list = useQuery('cluster/profiles', {});
  const [draft, setDraft] = useState<ClusterProfile>(blank);
  const [error, setError] = useState<string | null>(null);
  const set = <K extends keyof ClusterProfile>(key: K, value: ClusterProfile[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const int = (v: string, min: number) => Math.max(min, Math.trunc(Number(v) || 0));
  const act = async (run: () => Promise<unknown>) => {
    setError(null);
    try {
      await run();
      list.reload();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const text = (key: 'name' | 'sshHost' | 'slurmConf' | 'partition' | 'python' | 'container' | 'timeLimit' | 'namespace' | 'claim' | 'mountPath', label: string, hint = '') => (
    <>
      <label htmlFor={`profile-${key}`}>{label}</label>
      <input id={`profile-${key}`} value={draft[key]} placeholder={hint} onChange={(e) => set(key, e.target.value)} />
    </>
  );
  return (
    <>
      <h2>Cluster profiles</h2>
      <p className="muted">
        Where <em>Run on</em> sends a run: the app bundles it and submits it to Slurm (sbatch here or over SSH) or Kubernetes; the run folder must be on a filesystem both
        sides see. No password or token is stored: SSH uses your agent and keys, Kubernetes your kubeconfig.
      </p>
      <table className="table" data-testid="cluster-profiles">
        <thead>
          <tr>
            <th>Name</th>
            <th>Kind</th>
            <th>Where</th>
            <th>Nodes x GPUs</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(list.data ?? []).map((p) => (
            <tr key={p.name}>
              <td>{p.name}</td>
              <td>{p.kind}</td>
              <td>{p.kind === 'slurm' ? `${p.sshHost || 'this machine'}${p.partition ? `, partition ${p.partition}` : ''}` : `${p.namespace}, ${p.claim}`}</td>
              <td>
                {p.nodes} x {p.gpusPerNode}
              </td>
              <td className="row tight">
                <button type="button" className="secondary" onClick={() => setDraft(p)}>
                  Edit
                </button>
                <button type="button" className="secondary" onClick={() => act(() => client.call('cluster/deleteProfile', { name: p.name }))}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="form-grid">
        {text('name', 'Profile name')}
        <label htmlFor="profile-kind">Kind</label>
        <select id="profile-kind" value={draft.kind} onChange={(e) => set('kind', e.target.value as ClusterProfile['kind'])}>
          <option value="slurm">Slurm</option>
          <option value="kubernetes">Kubernetes</option>
        </select>
        <label htmlFor="profile-nodes">Nodes</label>
        <input id="profile-nodes" type="number" min={1} value={draft.nodes} onChange={(e) => set('nodes', int(e.target.value, 1))} />
        <label htmlFor="profile-gpus">GPUs per node</label>
        <input id="profile-gpus" type="number" min={0} value={draft.gpusPerNode} onChange={(e) => set('gpusPerNode', int(e.target.value, 0))} />
        {draft.kind === 'slurm' ? (
          <>
            {text('sshHost', 'SSH host', 'user@login-node (empty: sbatch here)')}
            {text('slurmConf', 'SLURM_CONF', 'empty: the system default')}
            {text('partition', 'Partition')}
            <label htmlFor="profile-modules">Modules</label>
            <input id="profile-modules" value={draft.modules.join(',')} placeholder="cuda/12.1,pytorch/2.3" onChange={(e) => set('modules', e.target.value.split(',').map((m) => m.trim()).filter(Boolean))} />
            {text('container', 'Apptainer image', 'empty: modules only')}
            {text('python', 'Python')}
            {text('timeLimit', 'Time limit', '24:00:00')}
          </>
        ) : (
          <>
            {text('container', 'Container image', 'an image with PyTorch')}
            {text('namespace', 'Namespace')}
            {text('claim', 'Volume claim', 'PVC with the bundles and the data folder')}
            {text('mountPath', 'Mount path')}
          </>
        )}
      </div>
      <div className="row">
        <button type="button" disabled={!draft.name.trim()} onClick={() => act(() => client.call('cluster/saveProfile', { profile: draft }))}>
          Save profile
        </button>
        <button type="button" className="secondary" onClick={() => setDraft(blank)}>
          New
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </>
  );
}
