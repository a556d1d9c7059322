import { useQuery } from '../client/clientContext';

/** Where a run trains: the app's own engine, or the PyTorch trainer on this machine with N processes. */
export interface RunOn {
  target: 'app' | 'pytorch-local';
  processes: number;
}

export const defaultRunOn: RunOn = { target: 'app', processes: 1 };

/** "Run on" in the launch form; offers PyTorch only where a Python with torch was found (and says which). */
export function RunOnField({ value, onChange }: { value: RunOn; onChange(next: RunOn): void }) {
  const python = useQuery('cluster/python', {});
  const available = !!python.data;
  return (
    <div className="row tight run-on">
      <label htmlFor="run-on" className="small nowrap">
        Run on
      </label>
      <select id="run-on" value={value.target} onChange={(e) => onChange({ ...value, target: e.target.value as RunOn['target'] })}>
        <option value="app">this machine (app engine)</option>
        <option value="pytorch-local" disabled={!available}>
          this machine, PyTorch trainer{available ? '' : ' (no Python with PyTorch found)'}
        </option>
      </select>
      {value.target === 'pytorch-local' && (
        <>
          <label htmlFor="run-processes" className="small nowrap">
            processes
          </label>
          <input id="run-processes" className="compact narrow" type="number" min={1} max={64} value={value.processes} onChange={(e) => onChange({ ...value, processes: Math.max(1, Math.min(64, Math.trunc(Number(e.target.value) || 1))) })} />
          <span className="muted small">
            PyTorch {python.data?.torchVersion} ({python.data?.python}); the run is bundled, then trained by data-parallel processes
          </span>
        </>
      )}
    </div>
  );
}
