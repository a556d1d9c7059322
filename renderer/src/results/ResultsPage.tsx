import { useEffect, useMemo, useState } from 'react';
import type { PredictionItem, RunPredictions, RunSummary } from '../../../shared/api/runs';
import { useQuery } from '../client/clientContext';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatMetric } from '../lib/format';
import { useRunList } from '../pretraining/PretrainingPage';
import { ConfusionMatrix } from './ConfusionMatrix';
import { PredictionViewer } from './PredictionViewer';
import { ExportRunPanel } from './ExportRunPanel';
import { itemCaption, metricColumns, worstFirstBy } from './predictionSummary';
import { mainMetricName } from '../pretraining/runMetricsStore';
import { notApplicableClasses } from './metricLabels';
import { MetricName } from './MetricName';
import { cocoPredictions, maskPredictionsZip } from './exportPredictions';
import { SaveFileButton } from '../components/SaveFileButton';
import { countsAtThreshold, f1Of, f1OptimalThreshold, thresholdGrid } from '../../../shared/boxMatching';

/** #/results/<runId>/<task>: per-task metrics, the worst predictions first, and each next to its ground truth. */
export function ResultsPage({ rest }: { rest: string[] }) {
  const runs = useRunList();
  const runId = rest[0] ? decodeURIComponent(rest[0]) : null;
  const run = runs.data?.find((r) => r.id === runId) ?? null;
  const withResults = runs.data?.filter((r) => r.progress.step > 0 || r.finalMetrics) ?? [];

  return (
    <section className="page results-page">
      <div className="page-head">
        <h1>Results</h1>
        <label htmlFor="results-run" className="small">
          Run
        </label>
        <select
          id="results-run"
          className="compact"
          value={runId ?? ''}
          onChange={(e) => {
            window.location.hash = e.target.value ? `#/results/${encodeURIComponent(e.target.value)}` : '#/results';
          }}
        >
          <option value="">Choose a run…</option>
          {withResults.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name} ({r.state})
            </option>
          ))}
        </select>
      </div>
      <ErrorMessage error={runs.error} title="Runs could not be listed" />
      {runs.data && withResults.length === 0 && (
        <p className="muted">
          No run has trained yet. <a href="#/pretraining">Launch one on the Pretraining page.</a>
        </p>
      )}
      {runId && runs.data && !run && <ErrorMessage error={`There is no run "${runId}".`} />}
      {run && <RunResults key={run.id} run={run} task={rest[1] ? decodeURIComponent(rest[1]) : (run.tasks[0]?.name ?? null)} />}
    </section>
  );
}

function RunResults({ run, task }: { run: RunSummary; task: string | null }) {
  const [split, setSplit] = useState<'val' | 'test'>('val');
  const detail = useQuery('runs/get', { runId: run.id });
  const checkpoints = detail.data?.checkpoints ?? null;
  // "best" is offered only once a validation made one; until then the latest is what exists
  const [chosen, setChosen] = useState<'best' | 'latest' | null>(null);
  const checkpoint: 'best' | 'latest' | null = chosen ?? (checkpoints ? (checkpoints.best ? 'best' : checkpoints.latest ? 'latest' : null) : null);
  const predictions = useQuery('runs/predictions', task && checkpoint ? { runId: run.id, task, split, checkpoint, limit: 48 } : null);
  const setCheckpoint = setChosen;

  return (
    <>
      <MetricTable run={run} />
      <div className="tabs" role="tablist" aria-label="Tasks">
        {run.tasks.map((t) => (
          <a key={t.name} role="tab" aria-selected={t.name === task} className={t.name === task ? 'tab active' : 'tab'} href={`#/results/${encodeURIComponent(run.id)}/${encodeURIComponent(t.name)}`}>
            {t.name} <span className="muted small">{t.kind}</span>
          </a>
        ))}
      </div>
      <div className="row tight results-controls">
        <label htmlFor="results-split" className="small">
          Images
        </label>
        <select id="results-split" className="compact" value={split} onChange={(e) => setSplit(e.target.value as 'val' | 'test')}>
          <option value="val">validation split</option>
          <option value="test">test split</option>
        </select>
        <label htmlFor="results-checkpoint" className="small">
          Checkpoint
        </label>
        <select id="results-checkpoint" className="compact" value={checkpoint ?? ''} disabled={!checkpoints} onChange={(e) => setCheckpoint(e.target.value as 'best' | 'latest')}>
          {!checkpoint && <option value="">no checkpoint yet</option>}
          {checkpoints?.best && <option value="best">best by validation (step {checkpoints.best.step})</option>}
          {checkpoints?.latest && <option value="latest">latest (step {checkpoints.latest.step})</option>}
        </select>
        {checkpoints && !checkpoints.best && checkpoints.latest && <span className="muted small">no validation has run yet, so there is no best checkpoint</span>}
      </div>
      <ErrorMessage error={detail.error} title="The run's checkpoints could not be read" />
      <ExportRunPanel run={run} checkpoint={checkpoint} />
      {predictions.loading && (
        <div className="panel loading-panel" role="status">
          Running the {checkpoint} checkpoint on up to 48 {split === 'val' ? 'validation' : 'test'} images… (a separate process loads the model; this takes a few seconds)
        </div>
      )}
      <ErrorMessage error={predictions.error} title="Predictions could not be made" />
      {predictions.data && !predictions.loading && <TaskPredictions key={`${task}-${split}-${checkpoint ?? ''}`} predictions={predictions.data} />}
    </>
  );
}

const imagesText = (n: number): string => (n === 1 ? '1 image' : `${n} images`);

/** "48 images" or "cells: 24 images, boxes: 40 images", from what the worker loaded. */
function validationImages(run: RunSummary): string {
  const counts = run.tasks.map((t) => ({ name: t.name, n: t.valImages }));
  if (counts.some((c) => c.n === null)) return 'image counts known once the run loaded its data';
  const distinct = new Set(counts.map((c) => c.n));
  return distinct.size === 1 ? `${imagesText(counts[0]!.n!)} each` : counts.map((c) => `${c.name}: ${imagesText(c.n!)}`).join(', ');
}

/** Which checkpoint the table's numbers belong to: a run validates at its end and when it pauses. */
function lastValidationText(run: RunSummary): string {
  if (run.state === 'completed') return `the run’s end (step ${run.progress.step}, the latest checkpoint)`;
  if (run.state === 'paused') return `the pause (step ${run.progress.step}, the latest checkpoint)`;
  return `the last validation so far (${run.state} at step ${run.progress.step})`;
}

function MetricTable({ run }: { run: RunSummary }) {
  const metrics = run.finalMetrics;
  if (!metrics || Object.keys(metrics).length === 0) return <p className="muted small">No validation metrics yet for this run: validation runs at the end of each epoch, when the run pauses and when it ends.</p>;
  return (
    <table className="table metric-table" data-testid="metric-table">
      <caption className="muted small" data-testid="metric-scope">
        Validation metrics per task: each task’s whole validation split ({validationImages(run)}), at {lastValidationText(run)}. Hover a metric for its definition.
      </caption>
      <thead>
        <tr>
          <th>Task</th>
          <th>Kind</th>
          <th>Main metric</th>
          <th className="num">Value</th>
          <th>Other metrics</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(metrics).map(([task, values]) => {
          const summary = run.tasks.find((t) => t.name === task);
          const kind = summary?.kind;
          const main = mainMetricName(kind, Object.keys(values));
          const notApplicable = kind === 'segmentation' && summary ? notApplicableClasses(values, summary.classNames) : [];
          return (
            <tr key={task}>
              <td>{task}</td>
              <td className="muted">{kind ?? ''}</td>
              <td>{main ? <MetricName metric={main} /> : '–'}</td>
              <td className="num strong">{formatMetric(main ? values[main] : null)}</td>
              <td className="small muted">
                {metricColumns({ [task]: values })
                  .filter((k) => k !== main)
                  .map((k, i) => (
                    <span key={k}>
                      {i > 0 ? ' · ' : ''}
                      <MetricName metric={k} /> {formatMetric(values[k])}
                    </span>
                  ))}
                {notApplicable.length > 0 && <span> · not applicable (in neither truth nor prediction): {notApplicable.join(', ')}</span>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** "all 8 images" or "the first 48 of 120 images". */
function scopeOfShown(p: RunPredictions): string {
  if (p.items.length >= p.splitImages) return p.splitImages === 1 ? 'its one image' : `all ${p.splitImages} images`;
  return `the first ${p.items.length} of ${p.splitImages} images`;
}

function TaskPredictions({ predictions }: { predictions: RunPredictions }) {
  const [selected, setSelected] = useState<PredictionItem | null>(predictions.items[0] ?? null);
  useEffect(() => setSelected(predictions.items[0] ?? null), [predictions]);
  const aggregate = useMemo(() => Object.entries(predictions.metrics), [predictions.metrics]);
  // detection: the threshold starts where F1 over these images is highest (validation split: the validation-optimal point)
  const detectionImages = useMemo(() => predictions.items.flatMap((i) => (i.detection ? [{ predicted: i.detection.predicted, truth: i.detection.truth }] : [])), [predictions.items]);
  const optimal = useMemo(() => (detectionImages.length ? f1OptimalThreshold(detectionImages) : null), [detectionImages]);
  const [threshold, setThreshold] = useState<number>(optimal?.threshold ?? 0.5);
  const overall = useMemo(() => (detectionImages.length ? countsAtThreshold(detectionImages, threshold) : null), [detectionImages, threshold]);
  return (
    <div className="predictions">
      <div className="row spread">
        <p className="small" data-testid="shown-checkpoint">
          Predictions of the <strong>{predictions.checkpoint === 'best' ? 'best' : 'latest'}</strong> checkpoint (step {predictions.checkpointStep}).
        </p>
        <ExportButton predictions={predictions} threshold={threshold} />
      </div>
      {predictions.split === 'test' ? (
        <p className="aggregate small" data-testid="prediction-scope">
          <span className="muted">
            Test split, {scopeOfShown(predictions)}, the {predictions.checkpoint} checkpoint (step {predictions.checkpointStep}):{' '}
          </span>
          {aggregate.map(([k, v], i) => (
            <span key={k}>
              {i > 0 ? ' · ' : ''}
              <MetricName metric={k} /> <strong>{formatMetric(v)}</strong>
            </span>
          ))}
        </p>
      ) : (
        <p className="aggregate small muted" data-testid="prediction-scope">
          Validation split, {scopeOfShown(predictions)}, scored one by one below; the split’s metrics are in the table above (one number per metric).
        </p>
      )}
      {optimal && overall && (
        <div className="row tight small detection-threshold" data-testid="detection-threshold">
          <label htmlFor="score-threshold">Score threshold</label>
          <input id="score-threshold" type="range" min={thresholdGrid[0]} max={thresholdGrid[thresholdGrid.length - 1]} step={0.05} value={threshold} onChange={(e) => setThreshold(Number(e.target.value))} aria-valuetext={threshold.toFixed(2)} />
          <output htmlFor="score-threshold">{threshold.toFixed(2)}</output>
          <span className="muted">
            (starts where F1 over these {detectionImages.length} {predictions.split === 'val' ? 'validation' : 'test'} images is highest: {optimal.threshold.toFixed(2)})
          </span>
          <span data-testid="detection-totals">
            At score ≥ {threshold.toFixed(2)} over these {detectionImages.length} images: {overall.truePositives} found (TP) · {overall.falsePositives} false alarms (FP) · {overall.falseNegatives} missed (FN) · F1 {f1Of(overall).toFixed(3)}
          </span>
        </div>
      )}
      <div className="results-split">
        <div>
          <h3 className="subhead">
            {imagesText(predictions.items.length).replace('image', predictions.split === 'val' ? 'validation image' : 'test image')}, worst first by {worstFirstBy(predictions.kind)}
          </h3>
          <div
            className="gallery"
            data-testid="prediction-gallery"
            role="group"
            aria-label="Predictions, worst first: arrow keys move to the next or previous image"
            onKeyDown={(e) => {
              const step = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
              if (!step || !selected) return;
              e.preventDefault();
              const at = predictions.items.findIndex((i) => i.index === selected.index);
              const next = predictions.items[Math.max(0, Math.min(predictions.items.length - 1, at + step))];
              if (!next) return;
              setSelected(next);
              (e.currentTarget.querySelector(`[data-item-index="${next.index}"]`) as HTMLElement | null)?.focus();
            }}
          >
            {predictions.items.map((item) => (
              <button key={item.index} type="button" className={`gallery-item${selected?.index === item.index ? ' selected' : ''}`} onClick={() => setSelected(item)} aria-pressed={selected?.index === item.index} data-testid="prediction-item" data-item-index={item.index}>
                <img src={item.imageDataUrl} alt={item.source?.fileName ?? `image ${item.index + 1}`} />
                <span className="gallery-caption">{itemCaption(item, predictions, threshold)}</span>
              </button>
            ))}
          </div>
          {predictions.confusionMatrix && <ConfusionMatrix matrix={predictions.confusionMatrix} classNames={predictions.classNames} />}
        </div>
        {selected && <PredictionViewer key={selected.index} item={selected} predictions={predictions} threshold={threshold} />}
      </div>
    </div>
  );
}

function ExportButton({ predictions, threshold }: { predictions: RunPredictions; threshold: number }) {
  const base = `${predictions.task}-${predictions.split}-${predictions.checkpoint}-step${predictions.checkpointStep}`;
  if (predictions.kind === 'detection') {
    return (
      <SaveFileButton className="secondary small-button" fileName={`${base}-boxes-coco.json`} mime="application/json" make={() => JSON.stringify(cocoPredictions(predictions, threshold), null, 2)}>
        Export these boxes (COCO JSON, score ≥ {threshold.toFixed(2)})
      </SaveFileButton>
    );
  }
  if (predictions.kind === 'segmentation') {
    return (
      <SaveFileButton className="secondary small-button" fileName={`${base}-masks.zip`} mime="application/zip" make={() => maskPredictionsZip(predictions)}>
        Export these masks (palette PNGs, zip)
      </SaveFileButton>
    );
  }
  return null;
}
