import { useCallback, useEffect, useMemo, useState } from 'react';
import type { RunSummary } from '../../../shared/api/runs';
import { useEvent, useQuery } from '../client/clientContext';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatMetric } from '../lib/format';
import { LaunchPanel } from './LaunchPanel';
import { RunMonitor } from './RunMonitor';
import { mainMetricName } from './runMetricsStore';
import { metricLabel } from '../results/metricLabels';

/** #/pretraining: launch form and run history; #/pretraining/<runId>: that run, live. */
export function PretrainingPage({ rest }: { rest: string[] }) {
  const runs = useRunList();
  const selectedId = rest[0] ? decodeURIComponent(rest[0]) : null;
  const [launching, setLaunching] = useState<boolean | null>(null);
  const showLaunch = launching ?? (runs.data !== null && runs.data.length === 0);

  return (
    <section className="page pretraining-page">
      <div className="page-head">
        <h1>Pretraining</h1>
        <button type="button" onClick={() => setLaunching(!showLaunch)} aria-expanded={showLaunch}>
          {showLaunch ? 'Hide the new run form' : 'New run…'}
        </button>
      </div>
      {showLaunch && (
        <LaunchPanel
          onLaunched={(run) => {
            setLaunching(false);
            runs.reload();
            window.location.hash = `#/pretraining/${encodeURIComponent(run.id)}`;
          }}
        />
      )}
      {selectedId && <RunMonitor key={selectedId} runId={selectedId} summary={runs.data?.find((r) => r.id === selectedId) ?? null} />}
      <h2>Run history</h2>
      <ErrorMessage error={runs.error} title="Runs could not be listed" />
      {runs.data && runs.data.length === 0 && <p className="muted">No runs yet.</p>}
      {runs.data && runs.data.length > 0 && <RunTable runs={runs.data} selectedId={selectedId} />}
    </section>
  );
}

/** runs/list kept current by 'runs/updated' events. */
export function useRunList() {
  const list = useQuery('runs/list', {});
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  useEffect(() => {
    if (list.data) setRuns(list.data);
  }, [list.data]);
  useEvent(
    'runs/updated',
    useCallback((run: RunSummary) => setRuns((rs) => (rs ? (rs.some((r) => r.id === run.id) ? rs.map((r) => (r.id === run.id ? run : r)) : [run, ...rs]) : rs)), []),
  );
  const sorted = useMemo(() => (runs ? [...runs].sort((a, b) => b.createdAt.localeCompare(a.createdAt)) : null), [runs]);
  return { data: sorted, error: list.error, reload: list.reload };
}

function RunTable({ runs, selectedId }: { runs: RunSummary[]; selectedId: string | null }) {
  return (
    <table className="table" data-testid="run-table">
      <thead>
        <tr>
          <th>Run</th>
          <th>State</th>
          <th>Tasks</th>
          <th>Progress</th>
          <th>Backend</th>
          <th>Started</th>
          <th>
            <span className="sr-only">Results</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => (
          <tr key={r.id} className={r.id === selectedId ? 'selected-row' : ''}>
            <td>
              <a href={`#/pretraining/${encodeURIComponent(r.id)}`} aria-current={r.id === selectedId ? 'true' : undefined}>
                {r.name}
              </a>
              {r.error && (
                <div className="error small ellipsis" title={r.error}>
                  {r.error}
                </div>
              )}
            </td>
            <td>
              <span className={`state state-${r.state}`}>{r.state}</span>
            </td>
            <td className="small">{r.tasks.map((t) => t.name).join(', ')}</td>
            <td className="small nowrap">
              step {r.progress.step}/{r.progress.totalSteps || '?'} · epoch {r.progress.epoch}/{r.progress.totalEpochs || '?'}
              {r.finalMetrics && <div className="muted" title="Each task's main metric on its validation split, at the run's last validation">{summariseMetrics(r.finalMetrics, r.tasks)}</div>}
            </td>
            <td>{r.backend ?? '–'}</td>
            <td className="muted small nowrap">{new Date(r.createdAt).toLocaleString()}</td>
            <td>
              <a href={`#/results/${encodeURIComponent(r.id)}`}>Results</a>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function summariseMetrics(metrics: Record<string, Record<string, number>>, tasks: RunSummary['tasks']): string {
  // each task's main metric at the last validation (the Results page has all of them, with their scope)
  return Object.entries(metrics)
    .map(([task, values]) => {
      const main = mainMetricName(tasks.find((t) => t.name === task)?.kind, Object.keys(values));
      return main ? `${task}: ${metricLabel(main)} ${formatMetric(values[main])}` : task;
    })
    .join(' · ');
}
