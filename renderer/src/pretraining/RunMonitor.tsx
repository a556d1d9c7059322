import { MetricName } from '../results/MetricName';
import { metricLabel } from '../results/metricLabels';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type uPlot from 'uplot';
import type { RunEvent, RunState, RunSummary } from '../../../shared/api/runs';
import { decimateMinMax } from '../charts/decimate';
import { LiveChart } from '../charts/LiveChart';
import { useClient, useEvent, useQuery } from '../client/clientContext';
import { ErrorMessage } from '../components/ErrorMessage';
import { useAction } from '../components/useAction';
import { formatBytes, formatDuration, formatMetric, percent } from '../lib/format';
import { mainMetricName, RunMetricsStore } from './runMetricsStore';
import { runPhase } from './runPhase';

const historyPage = 20000;
const liveStates: RunState[] = ['queued', 'running', 'paused', 'orphaned'];

/** A run's metrics: its history from runs/metrics, then 'runs/event' as it trains. */
function useRunMetrics(runId: string) {
  const client = useClient();
  // one store per run: a new run id starts empty
  const store = useMemo(() => new RunMetricsStore(), [runId]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const early = useRef<RunEvent[]>([]);
  const historyDone = useRef(false);

  useEffect(() => {
    let live = true;
    (async () => {
      let after = -1;
      for (;;) {
        const page = await client.call('runs/metrics', { runId, after, limit: historyPage, types: ['started', 'step', 'validation', 'log', 'state'] });
        if (!live) return;
        store.ingest(page.events);
        if (page.events.length < historyPage || page.nextSeq <= after) break;
        after = page.nextSeq - 1;
      }
      historyDone.current = true;
      // live events that came while the history loaded (ingest skips the overlap)
      store.ingest(early.current);
      early.current = [];
      setLoaded(true);
    })().catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [client, runId, store]);

  useEvent(
    'runs/event',
    useCallback(
      (e: RunEvent) => {
        if (e.runId !== runId) return;
        if (historyDone.current) store.ingest([e]);
        else early.current.push(e);
      },
      [runId, store],
    ),
  );
  return { store, loaded, error };
}

/** Re-renders a component at most once per animation frame when the store changes (for the read-outs). */
function useStoreTick(store: RunMetricsStore): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let frame: number | null = null;
    const unsubscribe = store.subscribe(() => {
      if (frame === null)
        frame = requestAnimationFrame(() => {
          frame = null;
          setTick((t) => t + 1);
        });
    });
    return () => {
      unsubscribe();
      if (frame !== null) cancelAnimationFrame(frame);
    };
  }, [store]);
  return tick;
}

export function RunMonitor({ runId, summary }: { runId: string; summary: RunSummary | null }) {
  const client = useClient();
  const detail = useQuery('runs/get', { runId });
  const { store, loaded, error } = useRunMetrics(runId);
  useStoreTick(store);
  const control = useAction();
  const run = summary ?? detail.data;
  const status = store.status;
  const state = run?.state;
  const taskNames = run?.tasks.map((t) => t.name) ?? [...store.tasks.keys()];
  for (const t of run?.tasks ?? []) store.kinds.set(t.name, t.kind);

  // a pause or cancel takes effect after the current step (and a pause validates first): say so meanwhile
  const [stopping, setStopping] = useState<{ kind: 'pausing' | 'cancelling'; fromState: RunState | undefined } | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const act = async (action: 'runs/pause' | 'runs/resume' | 'runs/cancel') => {
    if (action !== 'runs/resume') setStopping({ kind: action === 'runs/pause' ? 'pausing' : 'cancelling', fromState: state });
    setConfirmCancel(false);
    const done = await control.run(() => client.call(action, { runId }));
    if (!done) setStopping(null);
  };
  const stoppingNow = stopping && state === stopping.fromState && (state === 'running' || state === 'queued') ? stopping.kind : null;
  const phase = state === 'running' && status.step === 0 && !stoppingNow ? runPhase(store.logs) : null;
  const totalSteps = status.totalSteps || run?.progress.totalSteps || 0;
  const step = Math.max(status.step, run?.progress.step ?? 0);
  const isLive = state ? liveStates.includes(state) : false;

  return (
    <div className="panel run-monitor" data-testid="run-monitor">
      <div className="row spread">
        <div>
          <strong>{run?.name ?? runId}</strong> <span className={`state state-${state ?? 'queued'}`} data-testid="run-state">{state ?? '…'}</span>
        </div>
        <div className="row tight">
          {stoppingNow && (
            <span className="state state-paused" role="status" data-testid="run-stopping">
              {stoppingNow === 'pausing' ? 'pausing… (finishing the step, validating, saving a checkpoint)' : 'cancelling… (finishing the step, saving a checkpoint)'}
            </span>
          )}
          {state === 'running' && !stoppingNow && (
            <button type="button" className="secondary" onClick={() => void act('runs/pause')} disabled={control.busy}>
              Pause
            </button>
          )}
          {(state === 'paused' || state === 'interrupted' || state === 'cancelled' || state === 'failed') && (
            <button type="button" className="secondary" onClick={() => void act('runs/resume')} disabled={control.busy}>
              {state === 'paused' ? 'Resume' : 'Resume from checkpoint'}
            </button>
          )}
          {isLive && !stoppingNow && !confirmCancel && (
            <button type="button" className="secondary danger" onClick={() => setConfirmCancel(true)} disabled={control.busy}>
              Cancel run
            </button>
          )}
          {isLive && confirmCancel && (
            <span className="row tight" role="group" aria-label="Confirm cancelling the run">
              <span className="small">Cancel this run? It cannot be resumed as a paused run; the latest checkpoint is kept.</span>
              <button type="button" className="danger" onClick={() => void act('runs/cancel')} disabled={control.busy}>
                Yes, cancel the run
              </button>
              <button type="button" className="secondary" onClick={() => setConfirmCancel(false)}>
                Keep training
              </button>
            </span>
          )}
          <a className="button secondary" href={`#/results/${encodeURIComponent(runId)}`}>
            Results
          </a>
        </div>
      </div>
      <ErrorMessage error={control.error} />
      <ErrorMessage error={run?.error} title={state === 'failed' ? 'The run failed' : 'The run stopped'} />
      <ErrorMessage error={error ?? detail.error} title="Metrics could not be loaded" />
      {phase && (
        <p className="small" role="status" data-testid="run-phase">
          {phase}
        </p>
      )}
      <div className="progress" role="progressbar" aria-label="Training progress" aria-valuemin={0} aria-valuemax={totalSteps} aria-valuenow={step}>
        <div className={`progress-fill${state === 'running' ? ' live' : ''}`} style={{ width: `${percent(step, totalSteps)}%` }} />
      </div>
      <dl className="facts live-facts">
        <div>
          <dt>Step</dt>
          <dd data-testid="run-step">
            {step} / {totalSteps || '?'}
          </dd>
        </div>
        <div>
          <dt>Epoch</dt>
          <dd>
            {status.epoch || run?.progress.epoch || 0} / {status.totalEpochs || run?.progress.totalEpochs || '?'}
          </dd>
        </div>
        <div>
          <dt>Images / s</dt>
          <dd>{status.imagesPerSecond > 0 ? status.imagesPerSecond.toFixed(1) : '–'}</dd>
        </div>
        <div>
          <dt>ETA</dt>
          <dd>{state === 'running' ? formatDuration(status.etaSeconds) : '–'}</dd>
        </div>
        <div>
          <dt>Tensor memory</dt>
          <dd>{status.memory ? `${formatBytes(status.memory.numBytes)} · ${status.memory.numTensors} tensors` : '–'}</dd>
        </div>
        <div>
          <dt>Backend</dt>
          <dd>{status.backend ?? run?.backend ?? '–'}</dd>
        </div>
        <div>
          <dt>Learning rate</dt>
          <dd>{status.learningRate ? status.learningRate.toExponential(2) : '–'}</dd>
        </div>
        <div>
          <dt>
            Best validation <MetricName metric="score" />
          </dt>
          <dd data-testid="best-score">
            {formatMetric(status.bestScore)}
            {status.bestStep !== null && <span className="muted small"> at step {status.bestStep}</span>}
          </dd>
        </div>
      </dl>
      {!loaded && !error && <p className="muted small">Loading the run's history…</p>}
      <div className="task-charts">
        {taskNames.map((task) => (
          <TaskCharts key={task} store={store} task={task} />
        ))}
      </div>
      {store.logs.length > 0 && (
        <details className="run-log">
          <summary className="small">Log ({store.logs.length})</summary>
          <ul className="small">
            {store.logs.slice(-60).map((l, i) => (
              <li key={i} className={l.level === 'error' ? 'error' : l.level === 'warn' ? 'warn' : ''}>
                <span className="muted">{new Date(l.time).toLocaleTimeString()}</span> {l.message}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

const lossColour = '#4f7fd9';
const valLossColour = '#d9534f';
const metricColour = '#3aa176';

function TaskCharts({ store, task }: { store: RunMetricsStore; task: string }) {
  const subscribe = useCallback((l: () => void) => store.subscribe(l), [store]);
  const lossData = useCallback((): uPlot.AlignedData => {
    const c = store.tasks.get(task);
    // at most ~4,000 drawn points whatever the run's length: redraws stay cheap at 100,000 steps
    return c ? decimateMinMax(c.loss.x, c.loss.y, 2000) : [[], []];
  }, [store, task]);
  useStoreTick(store);
  const curves = store.tasks.get(task);
  const metricNames = curves ? [...curves.validation.keys()] : [];
  const main = mainMetricName(store.kinds.get(task), metricNames);
  const hasValLoss = metricNames.includes('loss');
  const valSeries = useMemo(
    () => [
      ...(hasValLoss ? [{ label: 'validation loss', colour: valLossColour, points: true }] : []),
      ...(main ? [{ label: metricLabel(main), colour: metricColour, right: hasValLoss, points: true }] : []),
    ],
    [hasValLoss, main],
  );
  const valData = useCallback((): uPlot.AlignedData => {
    const c = store.tasks.get(task);
    if (!c) return [[]];
    // uPlot draws null as a gap; NaN would break the path
    const column = (name: string) => (c.validation.get(name) ?? []).map((v) => (Number.isFinite(v) ? v : null));
    return [c.validationSteps, ...(hasValLoss ? [column('loss')] : []), ...(main ? [column(main)] : [])];
  }, [store, task, hasValLoss, main]);
  const lastLoss = curves?.loss.last();
  const lastMain = main && curves ? curves.validation.get(main)?.at(-1) : undefined;
  const lastValidationStep = curves?.validationSteps.at(-1);

  return (
    <section className="task-chart-card" aria-label={`Task ${task}`} data-testid="task-chart">
      <div className="row spread">
        <h3>{task}</h3>
        <span className="muted small">
          {store.kinds.get(task) ?? ''} · training loss {formatMetric(lastLoss?.y)}
          {lastLoss ? ` (step ${lastLoss.x})` : ''}
          {main && lastValidationStep !== undefined && (
            <>
              {' '}
              · <MetricName metric={main} /> {formatMetric(lastMain)} (validation split, step {lastValidationStep})
            </>
          )}{' '}
          · <span data-testid="chart-points">{curves?.loss.length ?? 0}</span> points
        </span>
      </div>
      <div className="chart-pair">
        <LiveChart title={`${task}: training loss per step`} series={trainSeries} getData={lossData} subscribe={subscribe} yLabel="loss" />
        {valSeries.length > 0 ? (
          <LiveChart title={`${task}: validation`} series={valSeries} getData={valData} subscribe={subscribe} yLabel={hasValLoss ? 'loss' : main ? metricLabel(main) : undefined} yRange={hasValLoss ? undefined : unitRange} />
        ) : (
          <figure className="live-chart empty-chart">
            <figcaption>{task}: validation</figcaption>
            <p className="muted small">Validation runs at the end of each epoch, when the run pauses and when it ends.</p>
          </figure>
        )}
      </div>
    </section>
  );
}

const trainSeries = [{ label: 'training loss', colour: lossColour }];
const unitRange: [number, number] = [0, 1];
