import { useCallback } from 'react';
import { useQuery, useEvent } from '../client/clientContext';
import { formatCount } from '../lib/format';

/** The import jobs of this session: running ones link to their progress, finished ones to their report. */
export function RecentImports() {
  const jobs = useQuery('import/listJobs', {});
  const reload = jobs.reload;
  const onChange = useCallback(() => reload(), [reload]);
  useEvent('import/finished', onChange);
  if (!jobs.data || jobs.data.length === 0) return null;
  const recent = [...jobs.data].sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, 10);
  return (
    <>
      <h2>Recent imports</h2>
      <table className="table">
        <thead>
          <tr>
            <th>Source</th>
            <th>State</th>
            <th className="num">Imported</th>
            <th className="num">Skipped</th>
            <th>Started</th>
          </tr>
        </thead>
        <tbody>
          {recent.map((j) => (
            <tr key={j.jobId}>
              <td className="ellipsis" title={j.path}>
                <a href={`#/datasets/import/${encodeURIComponent(j.jobId)}`}>{j.path}</a>
              </td>
              <td>
                <span className={`state state-${j.state}`}>{j.state === 'running' ? `running ${j.done}/${j.total}` : j.state}</span>
              </td>
              <td className="num">{formatCount(j.counts.imported)}</td>
              <td className="num">{formatCount(j.counts.skipped)}</td>
              <td className="muted">{new Date(j.startedAt).toLocaleTimeString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
