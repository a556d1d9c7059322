import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ImportJobReport, ImportProgressEvent } from '../../../shared/api/import';
import { useClient, useEvent } from '../client/clientContext';
import { ErrorMessage } from '../components/ErrorMessage';
import { useAction } from '../components/useAction';
import { SaveFileButton } from '../components/SaveFileButton';
import { etaSeconds, formatCount, formatDuration, formatRate, percent } from '../lib/format';
import { importReportCsv, reportRowsOfInterest } from './importReportCsv';

const shownRows = 300;

/** Progress of one import job (bar, rate, ETA, cancel), then its per-file report. */
export function ImportJobView({ jobId }: { jobId: string }) {
  const client = useClient();
  const [report, setReport] = useState<ImportJobReport | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [progress, setProgress] = useState<ImportProgressEvent | null>(null);
  const [filter, setFilter] = useState<'interesting' | 'all'>('interesting');
  const cancel = useAction();
  const pending = useRef<ImportProgressEvent | null>(null);
  const frame = useRef<number | null>(null);

  const loadReport = useCallback(() => {
    client.call('import/report', { jobId }).then(
      (r) => {
        setReport(r);
        setLoadError(null);
      },
      (e: Error) => setLoadError(e.message),
    );
  }, [client, jobId]);
  useEffect(loadReport, [loadReport]);

  // Progress events can come hundreds of times a second: paint once per frame.
  const onProgress = useCallback(
    (e: ImportProgressEvent) => {
      if (e.jobId !== jobId) return;
      pending.current = e;
      if (frame.current === null)
        frame.current = requestAnimationFrame(() => {
          frame.current = null;
          setProgress(pending.current);
        });
    },
    [jobId],
  );
  useEffect(() => () => void (frame.current !== null && cancelAnimationFrame(frame.current)), []);
  useEvent('import/progress', onProgress);
  useEvent(
    'import/finished',
    useCallback((e: { jobId: string }) => e.jobId === jobId && loadReport(), [jobId, loadReport]),
  );

  const running = report?.state === 'running';
  const done = Math.max(progress?.done ?? 0, report?.done ?? 0);
  const total = progress?.total ?? report?.total ?? 0;
  const rate = progress?.filesPerSecond ?? 0;
  const eta = etaSeconds(done, total, rate);
  const rows = useMemo(() => (report ? (filter === 'all' ? report.files : reportRowsOfInterest(report.files)) : []), [report, filter]);

  if (loadError) return (
    <section className="page">
      <h1>Import</h1>
      <ErrorMessage error={loadError} title="This import job cannot be shown" />
      <a href="#/datasets/import">Start a new import</a>
    </section>
  );
  if (!report) return (
    <section className="page">
      <h1>Import</h1>
      <p className="muted">Loading…</p>
    </section>
  );

  const stateLine = { running: 'Importing…', completed: 'Import finished', cancelled: 'Import cancelled', failed: 'Import failed' }[report.state];
  return (
    <section className="page import-job">
      <div className="page-head">
        <h1>{stateLine}</h1>
        <a href="#/datasets" className="button secondary">
          Back to datasets
        </a>
      </div>
      <ol className="steps" aria-label="Import steps">
        <li className="done">1 · Source</li>
        <li className="done">2 · Check and options</li>
        <li className={running ? 'current' : 'done'}>3 · Import</li>
        <li className={running ? '' : 'current'}>4 · Report</li>
      </ol>
      <div className="panel">
        <div className="muted small ellipsis" title={report.path}>
          {report.format ?? 'auto'} · {report.path}
        </div>
        <div className="progress" role="progressbar" aria-label="Import progress" aria-valuemin={0} aria-valuemax={total} aria-valuenow={done}>
          <div className={`progress-fill${running ? ' live' : ''}`} style={{ width: `${running ? percent(done, total) : 100}%` }} />
        </div>
        <div className="row spread small">
          <span data-testid="import-counts">
            {running && total === 0 ? 'Scanning the source and planning the import (listing files, pairing images with labels)…' : `${formatCount(done)} / ${formatCount(total)} files`}
          </span>
          {running && (
            <>
              <span>{formatRate(rate, 'files')}</span>
              <span>ETA {eta === null ? '–' : formatDuration(eta)}</span>
              <span className="muted ellipsis">{progress?.currentFile}</span>
            </>
          )}
        </div>
        {running && (
          <div className="row actions">
            <button type="button" className="secondary" disabled={cancel.busy} onClick={() => cancel.run(() => client.call('import/cancel', { jobId }))}>
              Cancel import
            </button>
          </div>
        )}
        <ErrorMessage error={cancel.error} />
        <ErrorMessage error={report.error} title="The import stopped" />
      </div>

      {!running && (
        <div className="panel" data-testid="import-report">
          <div className="row spread">
            <div className="counts" role="group" aria-label="Outcome">
              <span className="ok" data-testid="count-imported">
                {formatCount(report.counts.imported)} imported
              </span>
              <span className="muted">{formatCount(report.counts.duplicate)} duplicates</span>
              <span className={report.counts.skipped > 0 ? 'warn' : 'muted'} data-testid="count-skipped">
                {formatCount(report.counts.skipped)} skipped
              </span>
            </div>
            <div className="row tight">
              <SaveFileButton fileName={`import-report-${jobId}.csv`} mime="text/csv;charset=utf-8" make={() => importReportCsv(report.files)}>
                Export report as CSV
              </SaveFileButton>
              {report.datasetId !== null && (
                <a className="button" href={`#/datasets/${report.datasetId}`}>
                  Open dataset
                </a>
              )}
            </div>
          </div>
          <div className="row tight">
            <label className="check small">
              <input type="radio" name="report-filter" checked={filter === 'interesting'} onChange={() => setFilter('interesting')} />
              Skipped, duplicates and warnings
            </label>
            <label className="check small">
              <input type="radio" name="report-filter" checked={filter === 'all'} onChange={() => setFilter('all')} />
              All {formatCount(report.files.length)} files
            </label>
          </div>
          {rows.length === 0 ? (
            <p className="muted">Every file was imported without warnings.</p>
          ) : (
            <table className="table report-table" data-testid="report-table">
              <thead>
                <tr>
                  <th>File</th>
                  <th>Status</th>
                  <th>Reason / warnings</th>
                </tr>
              </thead>
              <tbody>
                {rows.slice(0, shownRows).map((f) => (
                  <tr key={f.path}>
                    <td>
                      <code>{f.path}</code>
                    </td>
                    <td>
                      <span className={`state state-${f.status}`}>{f.status}</span>
                      {f.images && f.images > 1 ? <span className="muted small"> ({f.images} images)</span> : null}
                    </td>
                    <td>{[f.reason, ...(f.warnings ?? [])].filter(Boolean).join('; ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {rows.length > shownRows && <p className="muted small">Showing {shownRows} of {formatCount(rows.length)} rows: the CSV has them all.</p>}
        </div>
      )}
    </section>
  );
}
