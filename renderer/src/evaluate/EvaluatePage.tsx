import { useCallback, useEffect, useMemo, useState } from 'react';
import type { EvalProgressEvent, EvalSummary } from '../../../shared/api/eval';
import { syntheticVariantNames, syntheticVariants, type RunTaskKind } from '../../../shared/runConfig';
import { useClient, useEvent, useQuery } from '../client/clientContext';
import { ErrorMessage } from '../components/ErrorMessage';
import { useAction } from '../components/useAction';
import { SaveFileButton } from '../components/SaveFileButton';
import { MetricName } from '../results/MetricName';
import { metricLabel } from '../results/metricLabels';
import { percent } from '../lib/format';
import { curvePointText, savingGapText } from '../../../shared/studyText';
import { useRunList } from '../pretraining/PretrainingPage';
import { buildEvalConfig, curveTable, defaultEvalForm, type EvalForm } from './evalForm';

/** #/evaluate: launch a label-efficiency study and list studies; #/evaluate/<id>: its plot and table. */
export function EvaluatePage({ rest }: { rest: string[] }) {
  const studies = useStudyList();
  const selectedId = rest[0] ? decodeURIComponent(rest[0]) : null;
  const [showForm, setShowForm] = useState<boolean | null>(null);
  const formOpen = showForm ?? (studies.data !== null && studies.data.length === 0);
  return (
    <section className="page evaluate-page">
      <div className="page-head">
        <h1>Evaluate</h1>
        <button type="button" onClick={() => setShowForm(!formOpen)} aria-expanded={formOpen}>
          {formOpen ? 'Hide the study form' : 'New study…'}
        </button>
      </div>
      <p className="muted">
        A label-efficiency study asks how much labelled data a pretrained encoder saves on a new task: it trains on growing fractions of the task&apos;s training images, several seeds each, with the encoder frozen or fine-tuned, next to a randomly initialised baseline, and scores every result on the test split.
      </p>
      {formOpen && (
        <StudyForm
          onLaunched={(s) => {
            setShowForm(false);
            studies.reload();
            window.location.hash = `#/evaluate/${encodeURIComponent(s.id)}`;
          }}
        />
      )}
      {selectedId && <StudyResults key={selectedId} id={selectedId} summary={studies.data?.find((s) => s.id === selectedId) ?? null} />}
      <h2>Studies</h2>
      <ErrorMessage error={studies.error} title="Studies could not be listed" />
      {studies.data && studies.data.length === 0 && <p className="muted">No studies yet.</p>}
      {studies.data && studies.data.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Study</th>
              <th>State</th>
              <th>Task</th>
              <th>Encoders</th>
              <th>Progress</th>
            </tr>
          </thead>
          <tbody>
            {studies.data.map((s) => (
              <tr key={s.id} className={s.id === selectedId ? 'selected-row' : ''}>
                <td>
                  <a href={`#/evaluate/${encodeURIComponent(s.id)}`}>{s.name}</a>
                </td>
                <td>
                  <span className={`state state-${s.state}`}>{s.state}</span>
                </td>
                <td>
                  {s.taskName} <span className="muted small">{s.taskKind}</span>
                </td>
                <td className="small">{s.encoders.join(', ')}</td>
                <td className="small">
                  {s.progress.done} / {s.progress.total}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function useStudyList() {
  const list = useQuery('eval/list', {});
  const [studies, setStudies] = useState<EvalSummary[] | null>(null);
  useEffect(() => {
    if (list.data) setStudies([...list.data].sort((a, b) => b.createdAt.localeCompare(a.createdAt)));
  }, [list.data]);
  const reload = list.reload;
  useEvent(
    'eval/progress',
    useCallback(
      (e: EvalProgressEvent) =>
        setStudies((ss) => {
          if (!ss?.some((s) => s.id === e.evalId)) {
            reload();
            return ss;
          }
          return ss.map((s) => (s.id === e.evalId ? { ...s, state: e.state, progress: e.progress } : s));
        }),
      [reload],
    ),
  );
  return { data: studies, error: list.error, reload };
}

function StudyForm({ onLaunched }: { onLaunched(study: EvalSummary): void }) {
  const client = useClient();
  const runs = useRunList();
  const datasets = useQuery('catalog/listDatasets', { includeDeleted: false });
  const [form, setForm] = useState<EvalForm>(defaultEvalForm);
  const launch = useAction();
  const usableRuns = runs.data?.filter((r) => r.state === 'completed' || r.progress.step > 0) ?? [];
  const labelled = datasets.data?.filter((d) => d.state === 'ready' && d.kind !== 'unlabelled') ?? [];
  const datasetKind = (id: number): RunTaskKind | null => {
    const kind = labelled.find((d) => d.id === id)?.kind;
    return kind && kind !== 'unlabelled' ? kind : null;
  };
  const built = buildEvalConfig(form, datasetKind, (id) => labelled.find((d) => d.id === id)?.name);
  const set = <K extends keyof EvalForm>(key: K, value: EvalForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const toggle = <T,>(list: T[], item: T) => (list.includes(item) ? list.filter((x) => x !== item) : [...list, item]);

  const onLaunch = async () => {
    if (!('config' in built)) return;
    const study = await launch.run(() => client.call('eval/launch', { config: built.config }));
    if (study) onLaunched(study);
  };

  return (
    <div className="panel launch-panel" role="region" aria-label="New label-efficiency study">
      <div className="launch-grid">
        <fieldset>
          <legend>Encoders</legend>
          {usableRuns.length === 0 && <p className="muted small">No pretraining run has a checkpoint yet.</p>}
          {usableRuns.map((r) => (
            <label key={r.id} className="check task-choice">
              <input type="checkbox" checked={form.runIds.includes(r.id)} onChange={() => set('runIds', toggle(form.runIds, r.id))} />
              {r.name} <span className="muted small">{r.finalMetrics ? 'best checkpoint by validation' : 'latest checkpoint (no validation yet, so no best)'}</span>
            </label>
          ))}
          <label className="check task-choice">
            <input type="checkbox" checked={form.randomBaseline} onChange={(e) => set('randomBaseline', e.target.checked)} />
            Random initialisation <span className="muted small">baseline</span>
          </label>
        </fieldset>
        <fieldset>
          <legend>Downstream task</legend>
          <div className="form-grid compact-grid">
            <label htmlFor="eval-task">Task</label>
            <select id="eval-task" value={form.task} onChange={(e) => set('task', e.target.value)}>
              <optgroup label="Built-in synthetic">
                {syntheticVariantNames.map((v) => (
                  <option key={v} value={`synthetic:${v}`}>
                    {v} ({syntheticVariants[v]})
                  </option>
                ))}
              </optgroup>
              {labelled.length > 0 && (
                <optgroup label="Imported datasets">
                  {labelled.map((d) => (
                    <option key={d.id} value={`catalog:${d.id}`}>
                      {d.name} ({d.kind})
                    </option>
                  ))}
                </optgroup>
              )}
            </select>
            <label htmlFor="eval-fractions">Label fractions (%)</label>
            <input id="eval-fractions" value={form.fractions} onChange={(e) => set('fractions', e.target.value)} />
            <label htmlFor="eval-seeds">Seeds per fraction</label>
            <input id="eval-seeds" type="number" min={1} max={20} value={Number.isNaN(form.seeds) ? '' : form.seeds} onChange={(e) => set('seeds', e.target.value.trim() === '' ? NaN : Number(e.target.value))} />
          </div>
        </fieldset>
        <fieldset>
          <legend>Training</legend>
          <div className="row tight">
            <label className="check small">
              <input type="checkbox" checked={form.modes.includes('frozen')} onChange={() => set('modes', toggle(form.modes, 'frozen'))} />
              frozen encoder + head
            </label>
            <label className="check small">
              <input type="checkbox" checked={form.modes.includes('finetune')} onChange={() => set('modes', toggle(form.modes, 'finetune'))} />
              fine-tune everything
            </label>
          </div>
          <div className="form-grid compact-grid augment">
            <label htmlFor="eval-input-size">Input size (px)</label>
            <input id="eval-input-size" type="number" min={32} step={32} value={Number.isNaN(form.inputSize) ? '' : form.inputSize} onChange={(e) => set('inputSize', e.target.value.trim() === '' ? NaN : Number(e.target.value))} />
            <label htmlFor="eval-backend">Backend</label>
            <select id="eval-backend" value={form.backend} onChange={(e) => set('backend', e.target.value as EvalForm['backend'])}>
              <option value="auto">automatic</option>
              <option value="wasm">wasm</option>
              <option value="cpu">cpu</option>
            </select>
          </div>
        </fieldset>
      </div>
      <div className="row launch-actions">
        <label htmlFor="eval-name" className="small nowrap">
          Study name
        </label>
        <input id="eval-name" value={form.name} onChange={(e) => set('name', e.target.value)} />
        <button type="button" onClick={onLaunch} disabled={launch.busy || !('config' in built)}>
          {launch.busy ? 'Launching…' : 'Launch study'}
        </button>
      </div>
      {'problem' in built && <p className="muted small">{built.problem}</p>}
      <ErrorMessage error={launch.error} title="The study did not start" />
    </div>
  );
}

/** The study's report as files: HTML report, results table (CSV), plot (PNG), from the study folder via the media route. */
function StudyReportExport({ id, name }: { id: string; name: string }) {
  const client = useClient();
  const stem = name.trim().replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'study';
  const bytesOf = (file: string) => async (): Promise<Uint8Array> => {
    const response = await fetch(client.mediaUrl(`eval/${encodeURIComponent(id)}/${file}`));
    if (!response.ok) throw new Error(`${file}: ${response.status} ${await response.text()}`);
    return new Uint8Array(await response.arrayBuffer());
  };
  return (
    <div className="row tight small" role="group" aria-label="Export the study report" data-testid="study-export">
      <span>Export:</span>
      <SaveFileButton className="secondary small-button" fileName={`${stem}-report.html`} mime="text/html" make={bytesOf('report.html')}>
        Report (HTML)
      </SaveFileButton>
      <SaveFileButton className="secondary small-button" fileName={`${stem}-results.csv`} mime="text/csv" make={bytesOf('results.csv')}>
        Table (CSV)
      </SaveFileButton>
      <SaveFileButton className="secondary small-button" fileName={`${stem}-label-efficiency.png`} mime="image/png" make={bytesOf('label-efficiency.png')}>
        Plot (PNG)
      </SaveFileButton>
    </div>
  );
}

/** How many test images every row was scored on (the same fixed test split for all of them). */
function testImagesText(rows: ReadonlyArray<{ testImages: number }>): string {
  const counts = [...new Set(rows.map((r) => r.testImages))];
  return counts.length === 1 ? `${counts[0]} images` : counts.length === 0 ? 'no rows yet' : `${counts.join(' / ')} images`;
}

function StudyResults({ id, summary }: { id: string; summary: EvalSummary | null }) {
  const client = useClient();
  const state = summary?.state;
  const results = useQuery('eval/results', { id });
  const cancel = useAction();
  const reload = results.reload;
  // completed studies carry their plot: fetch again when the state changes
  useEffect(() => reload(), [state, reload]);
  const table = useMemo(() => (results.data ? curveTable(results.data.curves) : null), [results.data]);
  const svgUrl = results.data?.svg ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(results.data.svg)}` : null;

  return (
    <div className="panel" data-testid="study-results">
      <div className="row spread">
        <strong>{summary?.name ?? id}</strong>
        {(state === 'running' || state === 'queued') && (
          <button type="button" className="secondary danger" onClick={() => cancel.run(() => client.call('eval/cancel', { id }))} disabled={cancel.busy}>
            Cancel study
          </button>
        )}
      </div>
      {summary && (
        <div className="progress" role="progressbar" aria-label="Study progress" aria-valuemin={0} aria-valuemax={summary.progress.total} aria-valuenow={summary.progress.done}>
          <div className="progress-fill" style={{ width: `${percent(summary.progress.done, summary.progress.total)}%` }} />
        </div>
      )}
      <ErrorMessage error={summary?.error} title="The study stopped" />
      <ErrorMessage error={cancel.error ?? results.error} />
      {results.data && results.data.savings.length > 0 && (
        <section aria-label="Labels saved" data-testid="study-savings">
          <h3 className="small">
            Labels saved against random initialisation (<MetricName metric={results.data.primaryMetric} /> on the test split)
          </h3>
          <ul className="small">
            {results.data.savings.map((s) => (
              <li key={`${s.encoder}|${s.mode}`}>
                {s.statement} ({s.mode}).{' '}
                <span className="muted">Gap at each fraction: {s.gaps.map((g) => `${g.fraction} % ${savingGapText(g)}`).join(' · ')}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {results.data?.files && <StudyReportExport id={id} name={summary?.name ?? id} />}
      {svgUrl && <img className="eval-plot" src={svgUrl} alt={`Label-efficiency plot: ${metricLabel(results.data?.primaryMetric ?? '')} on the test split against the fraction of labels`} />}
      {table && table.fractions.length > 0 && (
        <table className="table eval-table">
          <caption className="muted small" data-testid="study-scope">
            <MetricName metric={results.data?.primaryMetric ?? ''} /> on the test split ({testImagesText(results.data?.rows ?? [])}), mean ± standard deviation over seeds (one seed: its value alone), each at the end of its training
          </caption>
          <thead>
            <tr>
              <th className="num">Labels</th>
              {table.columns.map((c) => (
                <th key={c} className="num">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.fractions.map((f, i) => (
              <tr key={f}>
                <td className="num">{f} %</td>
                {table.cells[i]!.map((cell, j) => (
                  <td key={j} className="num">
                    {cell ? curvePointText(cell) : '–'}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {results.data && results.data.rows.length === 0 && <p className="muted small">No result yet: the first row appears when its training finished.</p>}
    </div>
  );
}
