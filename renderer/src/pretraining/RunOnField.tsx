import { useQuery } from '../client/clientContext';

/** Where a run trains: the app's own engine, the PyTorch trainer on this machine, or a cluster profile. */
export interface RunOn {
  /** 'app' | 'pytorch-local' | 'profile:<name>' */
  target: string;
  processes: number;
}

export const defaultRunOn: RunOn = { target: 'app', processes: 1 };

/** the cluster/launch request for a choice, or null for the app's own engine */
export function clusterLaunchOf(runOn: RunOn): { on: 'local' | 'profile'; profile?: string; nproc: number } | null {
  if (runOn.target === 'pytorch-local') return { on: 'local', nproc: runOn.processes };
  if (runOn.target.startsWith('profile:')) return { on: 'profile', profile: runOn.target.slice('profile:'.length), nproc: runOn.processes };
  return null;
}

/** "Run on" in the launch form; offers PyTorch here only where a Python with torch was found (and says which). */
export function RunOnField({ value, onChange }: { value: RunOn; onChange(next: RunOn): void }) {
  const python = useQuery('cluster/python', {});
  const profiles = useQuery('cluster/profiles', {});
  const available = !!python.data;
  const remote = value.target.startsWith('profile:');
  return (
    <div className="row tight run-on">
      <label htmlFor="run-on" className="small nowrap">
        Run on
      </label>
      <select id="run-on" value={value.target} onChange={(e) => onChange({ ...value, target: e.target.value })}>
        <option value="app">this machine (app engine)</option>
        <option value="pytorch-local" disabled={!available}>
          this machine, PyTorch trainer{available ? '' : ' (no Python with PyTorch found)'}
        </option>
        {(profiles.data ?? []).map((p) => (
          <option key={p.name} value={`profile:${p.name}`}>
            cluster: {p.name} ({p.kind}, {p.nodes} x {p.gpusPerNode} GPUs)
          </option>
        ))}
      </select>
      {value.target !== 'app' && (
        <>
          <label htmlFor="run-processes" className="small nowrap">
            processes
          </label>
          <input id="run-processes" className="compact narrow" type="number" min={1} max={64} value={value.processes} onChange={(e) => onChange({ ...value, processes: Math.max(1, Math.min(64, Math.trunc(Number(e.target.value) || 1))) })} />
          <span className="muted small">
            {remote
              ? 'the run is bundled into the data folder, submitted, and followed through its run folder (Settings > Cluster profiles)'
              : `PyTorch ${python.data?.torchVersion} (${python.data?.python}); the run is bundled, then trained by data-parallel processes`}
          </span>
        </>
      )}
    </div>
  );
}
